// A smaller std::terminate report for size-sensitive static programs (issue 14): libstdc++'s
// default handler, __gnu_cxx::__verbose_terminate_handler, prints the uncaught exception's type
// demangled, and the demangler is ~50 KiB of a static binary. Defining the handler here keeps
// libstdc++'s copy (and its demangler) out of the link; the report keeps what() and still
// aborts. Nothing in zmtp needs this: it is a choice of this program, shown for embedders.
#include <cstdio>
#include <cstdlib>
#include <exception>

#if defined(__GLIBCXX__) // libstdc++ (defined by its headers, so after the includes)

namespace __gnu_cxx {

void __verbose_terminate_handler() { // declared by libstdc++ (not [[noreturn]] there)
    static bool entered = false; // terminate called again from the handler: just abort
    if (!entered) {
        entered = true;
        if (auto current = std::current_exception()) {
            try {
                std::rethrow_exception(current);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "terminate called after throwing: %s\n", e.what());
            } catch (...) {
                std::fputs("terminate called after throwing a non-std exception\n", stderr);
            }
        } else {
            std::fputs("terminate called without an active exception\n", stderr);
        }
    }
    std::abort();
}

} // namespace __gnu_cxx
#endif
