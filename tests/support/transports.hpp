// The transports every socket behaviour test runs on, and endpoints for them.
#pragma once

#include <atomic>
#include <string>
#include <unistd.h>

namespace zmtp::test {

/// A bindable endpoint on `transport` that is unique within this process run: tcp picks an
/// ephemeral port, ipc a fresh wildcard path, inproc a new name (read the real one back from
/// opt::last_endpoint after bind).
inline std::string bind_endpoint(const std::string& transport) {
    static std::atomic<int> counter{0};
    if (transport == "tcp")
        return "tcp://127.0.0.1:*";
    if (transport == "ipc")
        return "ipc://*";
    return "inproc://test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

} // namespace zmtp::test

/// Catch2 generator over the transports of the behaviour matrix.
#define ZMTP_TRANSPORTS GENERATE(as<std::string>{}, "tcp", "ipc", "inproc")
/// The transports that run the ZMTP stream engine (greeting, heartbeats): no inproc.
#define ZMTP_STREAM_TRANSPORTS GENERATE(as<std::string>{}, "tcp", "ipc")
