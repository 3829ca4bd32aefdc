/* zmq_utils.h for zmtp: libzmq 4.x moved everything this header used to declare (stopwatch,
 * sleep, threads) into zmq.h, so it only forwards there. New code should include zmq.h. */
#ifndef ZMTP_ZMQ_UTILS_H_INCLUDED
#define ZMTP_ZMQ_UTILS_H_INCLUDED

#include "zmq.h"

#endif /* ZMTP_ZMQ_UTILS_H_INCLUDED */
