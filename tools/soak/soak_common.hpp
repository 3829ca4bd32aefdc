// Shared pieces of the soak program (tools/soak.sh): the run's stop flag, the counters every
// workload reports into, failure reporting, and small zmq.h helpers. The workloads run on
// zmq.h (our C API over the zmtp library), in one process, for the whole run.
#pragma once

#include <zmq.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

namespace soak {

// Set by main when the duration is over; every worker loop polls it.
extern std::atomic<bool> g_stop;

struct Counters {
    std::atomic<uint64_t> pair_stream_msgs{0};   // long-lived PAIR streams, received in order
    std::atomic<uint64_t> pair_churn_cycles{0};  // PAIR connect/exchange/close cycles
    std::atomic<uint64_t> pair_churn_msgs{0};    // messages checked inside those cycles
    std::atomic<uint64_t> ctx_cycles{0};         // churn cycles that used a fresh context
    std::atomic<uint64_t> pub_sent{0};           // messages the PUB published
    std::atomic<uint64_t> sub_lossless_msgs{0};  // credit-paced subscriber: none may be lost
    std::atomic<uint64_t> sub_slow_msgs{0};      // slow subscriber: received
    std::atomic<uint64_t> sub_slow_dropped{0};   // slow subscriber: gaps (HWM drops, allowed)
    std::atomic<uint64_t> vanishing_subs{0};     // subscribers that connected and vanished
    std::atomic<uint64_t> sub_churn_ops{0};      // subscribe/unsubscribe calls
    std::atomic<uint64_t> sub_churn_msgs{0};     // messages received by the churning SUB
};
extern Counters g_count;

// Records a failure (printed at once; the run goes on so the summary shows everything).
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int failures();

// Messages are "<topic>" followed by an 8-byte sequence number (host order; one process).
inline std::string frame(const std::string &topic, uint64_t seq) {
    std::string m = topic;
    m.append(reinterpret_cast<const char *>(&seq), sizeof seq);
    return m;
}
inline bool parse(const void *data, size_t size, size_t topic_len, uint64_t &seq) {
    if (size != topic_len + sizeof seq)
        return false;
    std::memcpy(&seq, static_cast<const char *>(data) + topic_len, sizeof seq);
    return true;
}

inline void set_int(void *s, int option, int value) {
    if (zmq_setsockopt(s, option, &value, sizeof value) != 0)
        fail("setsockopt %d=%d: %s", option, value, zmq_strerror(zmq_errno()));
}
// Binds and returns the resolved endpoint (wildcard port or ipc path filled in).
std::string bind_any(void *s, const char *endpoint);
// Sleeps between bursts so the soak runs at a steady, moderate rate (pacing, not sync).
void pause_ms(int ms);

}  // namespace soak
