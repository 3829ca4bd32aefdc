// Umbrella header for the zmtp C++ API.
#pragma once

#include "zmtp/context.hpp"
#include "zmtp/error.hpp"
#include "zmtp/message.hpp"
#include "zmtp/monitor.hpp"
#include "zmtp/options.hpp"
#include "zmtp/socket.hpp"
#include "zmtp/socket_type.hpp"
#include "zmtp/subscription.hpp"
