// The soak's workloads; each runs on its own thread until g_stop, reporting into g_count and
// calling fail() for anything the socket semantics forbid.
#pragma once

#include "soak_common.hpp"

#include <string>

namespace soak {

// PAIR (soak_pair.cpp).
void pair_stream(void *ctx, const char *endpoint, const char *name);
void pair_churn(void *ctx);

// PUB/SUB (soak_pubsub.cpp).
struct PubEndpoints {
    std::string tcp, ipc, acks;
};
PubEndpoints publisher_start(void *ctx, void *&pub, void *&acks);
void publisher_run(void *pub, void *acks);
void sub_lossless(void *ctx, const PubEndpoints &eps);
void sub_slow(void *ctx, const PubEndpoints &eps);
void sub_vanishing(void *ctx, const PubEndpoints &eps);
void sub_churn(void *ctx, const PubEndpoints &eps);

}  // namespace soak
