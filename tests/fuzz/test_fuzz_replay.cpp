// Replays the fuzz target's entry point without libFuzzer: embedded seeds, every prefix of
// them, files in tests/fuzz/corpus, and a fixed-seed batch of mutations, so every ctest run
// (including the sanitizer builds) exercises the decoder on hostile input.
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

int run(const bytes &input) {
    return LLVMFuzzerTestOneInput(input.data(), input.size());
}

/// xorshift64: deterministic, so a failure reproduces.
struct rng {
    std::uint64_t state;
    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

bytes mutate(bytes input, rng &r, const std::vector<bytes> &pool) {
    const std::size_t steps = 1 + r.below(4);
    for (std::size_t s = 0; s < steps; ++s) {
        switch (r.below(6)) {
        case 0: // flip a bit
            if (!input.empty()) {
                input[r.below(input.size())] ^= static_cast<std::uint8_t>(1u << r.below(8));
            }
            break;
        case 1: // interesting octet
            if (!input.empty()) {
                const std::uint8_t values[] = {0x00, 0x01, 0x02, 0x04, 0x06, 0x7F, 0x80, 0xFF};
                input[r.below(input.size())] = values[r.below(std::size(values))];
            }
            break;
        case 2: // truncate
            input.resize(r.below(input.size() + 1));
            break;
        case 3: // insert random octets
            for (std::size_t i = r.below(8) + 1; i > 0; --i) {
                input.insert(input.begin() + static_cast<std::ptrdiff_t>(r.below(input.size() + 1)),
                             static_cast<std::uint8_t>(r.next()));
            }
            break;
        case 4: { // splice the tail of another seed
            const bytes &other = pool[r.below(pool.size())];
            const std::size_t from = r.below(other.size() + 1);
            input.resize(r.below(input.size() + 1));
            input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(from),
                         other.end());
            break;
        }
        default: // erase a range
            if (!input.empty()) {
                const std::size_t at = r.below(input.size());
                const std::size_t len = 1 + r.below(input.size() - at);
                input.erase(input.begin() + static_cast<std::ptrdiff_t>(at),
                            input.begin() + static_cast<std::ptrdiff_t>(at + len));
            }
            break;
        }
    }
    return input;
}

} // namespace

TEST_CASE("fuzz replay: embedded seeds", "[wire][fuzz]") {
    const auto seeds = zmtp::wire::fuzz::seeds();
    REQUIRE(seeds.size() >= 10);
    for (const auto &s : seeds) {
        CHECK(run(s) == 0);
    }
}

TEST_CASE("fuzz replay: every prefix of every seed", "[wire][fuzz]") {
    for (const auto &s : zmtp::wire::fuzz::seeds()) {
        for (std::size_t k = 0; k <= s.size(); ++k) {
            LLVMFuzzerTestOneInput(s.data(), k);
        }
    }
    SUCCEED();
}

TEST_CASE("fuzz replay: corpus directory", "[wire][fuzz]") {
    namespace fs = std::filesystem;
    const fs::path dir = ZMTP_FUZZ_CORPUS_DIR;
    std::size_t count = 0;
    if (fs::is_directory(dir)) {
        for (const auto &entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file()) {
                continue;
            }
            std::ifstream in(entry.path(), std::ios::binary);
            const bytes data((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            INFO(entry.path().string());
            CHECK(run(data) == 0);
            ++count;
        }
    }
    CHECK(count > 0);
}

TEST_CASE("fuzz replay: deterministic mutations of the seeds", "[wire][fuzz]") {
    const auto seeds = zmtp::wire::fuzz::seeds();
    rng r{0x9E3779B97F4A7C15ull};
    for (int i = 0; i < 20000; ++i) {
        const bytes input = mutate(seeds[r.below(seeds.size())], r, seeds);
        run(input);
    }
    SUCCEED();
}
