// Umbrella for everything carried in command frames: the body split (command_frame), READY
// metadata, ERROR, PING/PONG and subscriptions (RFC 23/37 §Commands and the sections they cite).
#pragma once

#include "core/wire/command_frame.hpp"
#include "core/wire/error_command.hpp"
#include "core/wire/heartbeat.hpp"
#include "core/wire/ready.hpp"
#include "core/wire/subscription.hpp"
