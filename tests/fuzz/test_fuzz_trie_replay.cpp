// Replays the subscription-trie fuzz target (fuzz_trie.cpp) without libFuzzer: every file of
// tests/fuzz/corpus_trie (minimised from a libFuzzer run) and a fixed-seed batch of random
// operation sequences. The target aborts on any disagreement with its reference model, so a
// regression fails this test (under the sanitizer builds too).
#include "tests/support/catch.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

TEST_CASE("fuzz trie replay: corpus directory", "[fuzz][trie]") {
    namespace fs = std::filesystem;
    const fs::path dir = ZMTP_FUZZ_TRIE_CORPUS_DIR;
    std::size_t count = 0;
    REQUIRE(fs::is_directory(dir));
    for (const auto &entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                             std::istreambuf_iterator<char>());
        INFO(entry.path().string());
        CHECK(LLVMFuzzerTestOneInput(data.data(), data.size()) == 0);
        ++count;
    }
    CHECK(count > 0);
}

TEST_CASE("fuzz trie replay: fixed-seed random sequences", "[fuzz][trie]") {
    std::uint64_t state = 0x2545F4914F6CDD1Dull; // xorshift64: a failure reproduces
    std::vector<std::uint8_t> input;
    for (int i = 0; i < 3000; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        input.resize(state % 512);
        for (auto &b : input) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b = static_cast<std::uint8_t>(state);
        }
        CHECK(LLVMFuzzerTestOneInput(input.data(), input.size()) == 0);
    }
}
