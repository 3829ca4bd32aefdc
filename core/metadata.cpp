// Connection metadata records.
#include "core/metadata.hpp"

namespace zmtp::detail {

metadata* metadata::create(std::vector<property> properties) {
    return new metadata(std::move(properties));
}

void metadata::release() noexcept {
    // acq_rel: whoever deletes must see the record as every other owner left it.
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
        delete this;
}

const std::string* metadata::find(std::string_view name) const noexcept {
    for (const auto& [key, value] : properties_)
        if (key == name)
            return &value;
    if (name == "Identity")
        return find("Routing-Id");
    return nullptr;
}

} // namespace zmtp::detail
