// Tests for core/wire/socket_type: names, numbers and the compatibility table (C-TYPE-1, C-HS-7).
#include "core/wire/socket_type.hpp"
#include "tests/support/catch.hpp"

#include <set>
#include <string>
#include <utility>

using namespace zmtp::wire;

TEST_CASE("C-TYPE-1 socket kinds use zmq.h numbers and upper-case names", "[wire]") {
    const std::pair<socket_kind, const char *> table[] = {
        {socket_kind::pair, "PAIR"},     {socket_kind::pub, "PUB"},
        {socket_kind::sub, "SUB"},       {socket_kind::req, "REQ"},
        {socket_kind::rep, "REP"},       {socket_kind::dealer, "DEALER"},
        {socket_kind::router, "ROUTER"}, {socket_kind::pull, "PULL"},
        {socket_kind::push, "PUSH"},     {socket_kind::xpub, "XPUB"},
        {socket_kind::xsub, "XSUB"},     {socket_kind::stream, "STREAM"},
    };
    int number = 0;
    for (const auto &[kind, name] : table) {
        CHECK(static_cast<int>(kind) == number++);
        CHECK(socket_type_name(kind) == name);
        CHECK(socket_kind_from_name(name) == kind);
    }
    CHECK(socket_type_name(static_cast<socket_kind>(12)).empty());
    CHECK(socket_type_name(static_cast<socket_kind>(-1)).empty());
}

TEST_CASE("C-HS-7 socket type values are case-sensitive", "[wire]") {
    CHECK_FALSE(socket_kind_from_name("pub"));
    CHECK_FALSE(socket_kind_from_name("Pub"));
    CHECK_FALSE(socket_kind_from_name(""));
    CHECK_FALSE(socket_kind_from_name("PUB "));
    CHECK_FALSE(socket_types_compatible("SUB", "pub"));
    CHECK_FALSE(socket_types_compatible("sub", "PUB"));
}

TEST_CASE("C-TYPE-1 the full compatibility table", "[wire]") {
    const std::set<std::pair<std::string, std::string>> valid = {
        {"PAIR", "PAIR"},  {"PUB", "SUB"},       {"PUB", "XSUB"},      {"SUB", "PUB"},
        {"SUB", "XPUB"},   {"XPUB", "SUB"},      {"XPUB", "XSUB"},     {"XSUB", "PUB"},
        {"XSUB", "XPUB"},  {"REQ", "REP"},       {"REQ", "ROUTER"},    {"REP", "REQ"},
        {"REP", "DEALER"}, {"DEALER", "REP"},    {"DEALER", "DEALER"}, {"DEALER", "ROUTER"},
        {"ROUTER", "REQ"}, {"ROUTER", "DEALER"}, {"ROUTER", "ROUTER"}, {"PUSH", "PULL"},
        {"PULL", "PUSH"},
    };
    const char *names[] = {"PAIR",   "PUB",  "SUB",  "REQ",  "REP",  "DEALER",
                           "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"};
    for (const char *a : names) {
        for (const char *b : names) {
            INFO(a << " <-> " << b);
            const bool expected = valid.count({a, b}) != 0;
            CHECK(socket_types_compatible(a, b) == expected);
            CHECK(socket_types_compatible(*socket_kind_from_name(a), *socket_kind_from_name(b)) ==
                  expected);
            // the table is symmetric
            CHECK(socket_types_compatible(a, b) == socket_types_compatible(b, a));
        }
    }
}

TEST_CASE("C-TYPE-1 invalid pairs in the PAIR/PUB/SUB subset", "[wire]") {
    CHECK_FALSE(socket_types_compatible("PUB", "PUB"));
    CHECK_FALSE(socket_types_compatible("SUB", "SUB"));
    CHECK_FALSE(socket_types_compatible("PAIR", "PUB"));
    CHECK_FALSE(socket_types_compatible("PAIR", "SUB"));
    CHECK_FALSE(socket_types_compatible("PUB", "PUSH"));
    CHECK_FALSE(socket_types_compatible("PUB", "BOGUS"));
}
