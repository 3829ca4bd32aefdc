// Replays the receive-path fuzz target (fuzz_receive_path.cpp) without libFuzzer: the embedded
// seeds under every socket type / MAXMSGSIZE choice and several read-size seeds, every prefix
// of them, and the files in tests/fuzz/corpus_receive (which the libFuzzer runs extended).
#include "tests/fuzz/fuzz_seeds.hpp"
#include "tests/support/catch.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

using bytes = std::vector<std::uint8_t>;

/// Octet 0 (socket type, MAXMSGSIZE), octets 1-8 (read-size seed), then the stream.
bytes with_config(std::uint8_t config, std::uint64_t reads, const bytes &stream) {
    bytes out{config};
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<std::uint8_t>(reads >> (8 * i)));
    }
    out.insert(out.end(), stream.begin(), stream.end());
    return out;
}

} // namespace

TEST_CASE("receive-path fuzz replay: seeds, configurations and read splits", "[wire][fuzz]") {
    const auto seeds = zmtp::wire::fuzz::seeds();
    REQUIRE(seeds.size() >= 10);
    for (const auto &s : seeds) {
        for (std::uint8_t config = 0; config < 20; ++config) {
            for (std::uint64_t reads : {1ull, 0x9E3779B97F4A7C15ull, 0xdeadbeefull}) {
                const auto in = with_config(config, reads, s);
                CHECK(LLVMFuzzerTestOneInput(in.data(), in.size()) == 0);
            }
        }
    }
}

TEST_CASE("receive-path fuzz replay: every prefix of every seed", "[wire][fuzz]") {
    for (const auto &s : zmtp::wire::fuzz::seeds()) {
        const auto in = with_config(0, 12345, s);
        for (std::size_t k = 0; k <= in.size(); ++k) {
            LLVMFuzzerTestOneInput(in.data(), k);
        }
    }
    SUCCEED();
}

TEST_CASE("receive-path fuzz replay: corpus directory", "[wire][fuzz]") {
    namespace fs = std::filesystem;
    const fs::path dir = ZMTP_FUZZ_CORPUS_DIR;
    std::size_t count = 0;
    for (const auto &entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        const bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO(entry.path().string());
        CHECK(LLVMFuzzerTestOneInput(data.data(), data.size()) == 0);
        ++count;
    }
    CHECK(count > 0);
}
