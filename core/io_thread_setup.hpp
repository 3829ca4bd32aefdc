// io_thread_setup: what an I/O thread does to itself before it runs its io_context — its name,
// CPU affinity and scheduling (the ZMQ_THREAD_* context options).
#pragma once

#include "zmtp/context.hpp"

#include <string>

namespace zmtp::detail {

/// "ZMQbg/IO/<index>", or "<prefix>/ZMQbg/IO/<index>", cut to the kernel's 15 characters.
std::string io_thread_name(const io_thread_settings& settings, int index);

/// Names the calling thread and applies affinity and scheduling; 0, or the errno of the
/// first setting that could not be applied (the name is cosmetic and never fails it).
int apply_io_thread_settings(const io_thread_settings& settings, int index) noexcept;

} // namespace zmtp::detail
