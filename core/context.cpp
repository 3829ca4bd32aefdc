// zmtp::context: the public face of context_impl.
#include "zmtp/context.hpp"

#include "core/context_impl.hpp"

namespace zmtp {

context::context(int io_threads) : impl_(std::make_shared<detail::context_impl>()) {
    impl_->set_io_threads(io_threads);
}

context::~context() { terminate(); }

context& context::instance() {
    static context* the_instance = new context(); // never destroyed: usable at exit
    return *the_instance;
}

void context::shutdown() noexcept { impl_->shutdown(); }
void context::terminate() noexcept { impl_->terminate(); }
void context::terminate(std::error_code& ec) noexcept { ec = impl_->terminate_interruptible(); }
int context::io_threads() const noexcept { return impl_->io_threads(); }
std::error_code context::set_io_threads(int n) noexcept { return impl_->set_io_threads(n); }
int context::max_sockets() const noexcept { return impl_->max_sockets(); }
std::error_code context::set_max_sockets(int n) noexcept { return impl_->set_max_sockets(n); }
io_thread_settings context::io_thread_options() const { return impl_->io_thread_options(); }
void context::set_io_thread_options(io_thread_settings settings) {
    impl_->set_io_thread_options(std::move(settings));
}

} // namespace zmtp
