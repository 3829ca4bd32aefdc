// Connection metadata on frames: the record itself, how frames share it, and how a pipe hands
// a connection's record to every frame of that connection (marker frames in msg_queue).
// End-to-end values against libzmq: tests/capi/c/metadata.c.
#include "core/metadata.hpp"
#include "core/msg_queue.hpp"
#include "tests/support/catch.hpp"

#include <string>

using zmtp::message;
using namespace zmtp::detail;

namespace {
metadata* record(const std::string& address) {
    return metadata::create({{"Peer-Address", address}, {"Socket-Type", "PAIR"}});
}

message frame(const char* text, bool more = false) {
    message m{std::string_view(text)};
    m.set_more(more);
    return m;
}

std::string address_of(const message& m) {
    auto v = m.property("Peer-Address");
    return v ? std::string(*v) : std::string("(none)");
}
} // namespace

TEST_CASE("metadata: exact names, first of a name wins, Identity falls back to Routing-Id",
          "[metadata]") {
    metadata* md = metadata::create(
        {{"Socket-Type", "PUB"}, {"X-A", "1"}, {"X-A", "2"}, {"Routing-Id", "rid"}});
    REQUIRE(md->find("Socket-Type"));
    CHECK(*md->find("Socket-Type") == "PUB");
    CHECK(*md->find("X-A") == "1");
    CHECK(md->find("socket-type") == nullptr);
    CHECK(md->find("Missing") == nullptr);
    CHECK(*md->find("Identity") == "rid");
    md->release();
}

TEST_CASE("metadata: a frame without any answers nothing", "[metadata]") {
    message m("x");
    CHECK_FALSE(m.property("Socket-Type"));
    CHECK_FALSE(message().property("Peer-Address"));
}

TEST_CASE("metadata: shares keep the record alive, moves take it, clear drops it",
          "[metadata]") {
    msg_queue q;
    q.write(message_metadata::marker(record("10.0.0.1")), false);
    q.write(frame("a"), true);
    message m;
    REQUIRE(q.read(m));
    message copy = m.share();
    message big(1000);
    message_metadata::give(big, record("10.0.0.2"));
    message big_copy = big.share();
    m.clear();
    CHECK_FALSE(m.property("Peer-Address"));
    CHECK(address_of(copy) == "10.0.0.1");
    message moved(std::move(copy));
    CHECK_FALSE(copy.property("Peer-Address"));
    CHECK(address_of(moved) == "10.0.0.1");
    big = message();
    CHECK(address_of(big_copy) == "10.0.0.2");
    // The property view is NUL-terminated (zmq_msg_gets returns it as a C string).
    auto v = moved.property("Peer-Address");
    REQUIRE(v);
    CHECK(v->data()[v->size()] == '\0');
}

TEST_CASE("metadata: a marker is never readable alone and tags every later frame",
          "[metadata][pipe]") {
    msg_queue q;
    q.write(message_metadata::marker(record("10.0.0.1")), true);
    CHECK_FALSE(q.readable()); // staged with the next message, not published alone
    CHECK(q.queued() == 0);
    q.write(frame("first", true), true);
    q.write(frame("second"), true);
    q.write(frame("third"), true);
    CHECK(q.queued() == 2); // the marker and the first message count once
    message m;
    REQUIRE(q.read(m));
    CHECK(m.view() == "first");
    CHECK(address_of(m) == "10.0.0.1");
    REQUIRE(q.read(m));
    CHECK(m.view() == "second");
    CHECK(address_of(m) == "10.0.0.1");
    message other; // a different message object gets its own reference
    REQUIRE(q.read(other));
    CHECK(address_of(other) == "10.0.0.1");
    CHECK(address_of(m) == "10.0.0.1");
    CHECK_FALSE(q.read(m)); // a failed read leaves the frame as it was
    CHECK(m.view() == "second");
    CHECK(address_of(m) == "10.0.0.1");
}

TEST_CASE("metadata: a reconnect switches the record at the right frame", "[metadata][pipe]") {
    msg_queue q;
    q.write(message_metadata::marker(record("10.0.0.1")), false);
    q.write(frame("old"), false);
    q.write(message_metadata::marker(record("10.0.0.2")), false);
    q.write(frame("new"), false);
    q.flush();
    message m;
    REQUIRE(q.read(m));
    CHECK(address_of(m) == "10.0.0.1");
    REQUIRE(q.read(m));
    CHECK(m.view() == "new");
    CHECK(address_of(m) == "10.0.0.2");
}

TEST_CASE("metadata: a forwarded frame keeps its own record; unwritten markers are freed",
          "[metadata][pipe]") {
    msg_queue q; // an inproc pipe: no markers
    message forwarded("fwd");
    message_metadata::give(forwarded, record("10.0.0.9"));
    q.write(std::move(forwarded), true);
    q.write(frame("local"), true);
    message m;
    REQUIRE(q.read(m));
    CHECK(address_of(m) == "10.0.0.9");
    REQUIRE(q.read(m));
    CHECK_FALSE(m.property("Peer-Address"));
    // A connection that ends before its first message: the marker is rolled back.
    q.write(message_metadata::marker(record("10.0.0.3")), false);
    q.rollback();
    CHECK_FALSE(q.readable());
    // And one left in a queue that is destroyed is released with it (ASan checks the leak).
    msg_queue abandoned;
    abandoned.write(message_metadata::marker(record("10.0.0.4")), true);
    abandoned.write(frame("never read"), true);
}
