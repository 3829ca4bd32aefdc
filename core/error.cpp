// The zmtp error category (ETERM, EFSM, EMTHREAD, ENOCOMPATPROTO).
#include "zmtp/error.hpp"

namespace zmtp {

namespace {
class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "zmtp"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::terminated:
            return "Context was terminated";
        case errc::bad_state:
            return "Operation cannot be accomplished in current state";
        case errc::no_io_thread:
            return "No thread available";
        case errc::incompatible_protocol:
            return "The protocol is not compatible with the socket type";
        }
        return "Unknown zmtp error";
    }
};
} // namespace

const std::error_category& zmtp_category() noexcept {
    static const category c;
    return c;
}

} // namespace zmtp
