// zmtp::message: inline vs shared storage, share(), adopt() free callback, moves.
#include "tests/support/catch.hpp"
#include "zmtp/message.hpp"

#include <cstring>
#include <string>

using zmtp::message;

TEST_CASE("small messages are inline, large ones shared on copy", "[message]") {
    message small(std::string_view("hello"));
    message small_copy = small.share();
    CHECK(small_copy.to_string() == "hello");
    CHECK(small_copy.data() != small.data());

    std::string big(1000, 'b');
    message large(big.data(), big.size());
    message large_copy = large.share();
    CHECK(large_copy.data() == large.data()); // zero-copy fan-out
    CHECK(large.is_shared());
    CHECK(large_copy.view() == big);
}

TEST_CASE("adopted data is freed once, after the last owner", "[message]") {
    static int frees = 0;
    frees = 0;
    char* data = new char[100];
    std::memset(data, 'z', 100);
    {
        message a = message::adopt(data, 100, [](void* d, void*) { ++frees, delete[] static_cast<char*>(d); },
                                   nullptr);
        message b = a.share();
        a.clear();
        CHECK(frees == 0);
        CHECK(b.view() == std::string(100, 'z'));
    }
    CHECK(frees == 1);
}

TEST_CASE("move leaves the source empty and keeps flags", "[message]") {
    message a(std::string_view("x"));
    a.set_more(true);
    message b(std::move(a));
    CHECK(b.more());
    CHECK(b.to_string() == "x");
    CHECK(a.empty()); // NOLINT(bugprone-use-after-move): defined state by contract
    CHECK_FALSE(a.more());
}

TEST_CASE("sizes at the inline boundary", "[message]") {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, message::inline_capacity,
                          message::inline_capacity + 1}) {
        std::string s(n, 'q');
        message m(s.data(), s.size());
        CHECK(m.size() == n);
        CHECK(m.view() == s);
    }
}

TEST_CASE("large frames reuse pooled buffers of the right size", "[message][pool]") {
    // Sizes around the pool's class edges (16 KiB .. 1 MiB, quarter steps) and outside it;
    // each frame is filled to its last byte (ASan checks the capacity) and read back.
    const std::size_t sizes[] = {16 * 1024 - 64, 16 * 1024,      20 * 1024 + 1, 65536,
                                 65536 + 1,      96 * 1024 - 7,  1 << 20,       (1 << 20) + 1,
                                 3 * 1024 * 1024};
    for (int round = 0; round < 3; ++round) {
        for (std::size_t n : sizes) {
            message m(n);
            auto* p = static_cast<unsigned char*>(m.data());
            for (std::size_t i = 0; i < n; i += 4093)
                p[i] = static_cast<unsigned char>(i);
            p[n - 1] = 0xAB;
            message copy = m.share();
            m.clear();
            CHECK(copy.size() == n);
            CHECK(static_cast<unsigned char*>(copy.data())[n - 1] == 0xAB);
        }
    }
}
