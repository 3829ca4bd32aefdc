// file_transfer: the seed scenario. A file goes over PAIR/tcp in 64 KiB chunks from zmtp to
// libzmq and from libzmq to zmtp; each direction checks the received file byte for byte.
// Protocol: one message per chunk (1 byte .. 64 KiB), then an empty message ends the file.
//
// usage: file_transfer [size_mib]   (default 32 MiB of pseudo-random bytes, in a temp dir)
#include "transfer_peer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr std::size_t chunk_size = 64 * 1024;

/// An open stdio file, closed on scope exit.
struct file {
    file(const fs::path& path, const char* mode) : f(std::fopen(path.c_str(), mode)) {
        if (f == nullptr)
            throw std::runtime_error("cannot open " + path.string());
    }
    ~file() { std::fclose(f); }
    file(const file&) = delete;
    file& operator=(const file&) = delete;
    std::FILE* f;
};

/// Writes `size` pseudo-random bytes (xorshift64, fixed seed) to `path`.
void make_random_file(const fs::path& path, std::uint64_t size) {
    file out(path, "wb");
    std::vector<std::uint64_t> block(chunk_size / sizeof(std::uint64_t));
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    for (std::uint64_t written = 0; written < size;) {
        for (std::uint64_t& word : block) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word = state;
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, size - written));
        std::fwrite(block.data(), 1, n, out.f);
        written += n;
    }
}

void send_file(transfer_peer& peer, const fs::path& path) {
    file in(path, "rb");
    std::vector<char> chunk(chunk_size);
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.f))
        peer.send(chunk.data(), n);
    peer.send(nullptr, 0); // end of file
}

/// Receives chunks into `path` until the empty end marker; returns the byte count.
std::uint64_t recv_file(transfer_peer& peer, const fs::path& path) {
    file out(path, "wb");
    std::uint64_t total = 0;
    for (std::string_view chunk = peer.recv(); !chunk.empty(); chunk = peer.recv()) {
        if (chunk.size() > chunk_size)
            throw std::runtime_error("chunk larger than 64 KiB");
        std::fwrite(chunk.data(), 1, chunk.size(), out.f);
        total += chunk.size();
    }
    return total;
}

bool same_contents(const fs::path& a, const fs::path& b) {
    if (fs::file_size(a) != fs::file_size(b))
        return false;
    file fa(a, "rb"), fb(b, "rb");
    std::vector<char> ba(chunk_size), bb(chunk_size);
    while (std::size_t n = std::fread(ba.data(), 1, ba.size(), fa.f))
        if (std::fread(bb.data(), 1, n, fb.f) != n || std::memcmp(ba.data(), bb.data(), n) != 0)
            return false;
    return true;
}

/// One direction: `receiver` binds, `sender` connects from a thread and streams `src`.
bool transfer(transfer_peer& sender, transfer_peer& receiver, const fs::path& src,
              const fs::path& dst) {
    std::printf("%-6s -> %-6s: ", sender.name(), receiver.name());
    std::fflush(stdout);
    std::string sender_error;
    std::uint64_t received = 0;
    const auto start = std::chrono::steady_clock::now();
    try {
        const std::string endpoint = receiver.bind_any();
        std::thread thread([&] {
            try {
                sender.connect(endpoint);
                send_file(sender, src);
            } catch (const std::exception& e) {
                sender_error = e.what();
            }
        });
        try {
            received = recv_file(receiver, dst);
        } catch (...) {
            thread.join();
            throw;
        }
        thread.join();
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return false;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!sender_error.empty()) {
        std::printf("FAILED: sender: %s\n", sender_error.c_str());
        return false;
    }
    const bool same = same_contents(src, dst);
    std::printf("%llu bytes in %.3f s, %.1f MB/s, %s\n", static_cast<unsigned long long>(received),
                seconds, static_cast<double>(received) / seconds / 1e6,
                same ? "received file identical" : "FAILED: received file differs");
    return same;
}

} // namespace

int main(int argc, char** argv) {
    const long mib = argc > 1 ? std::atol(argv[1]) : 32;
    if (argc > 2 || mib < 0) {
        std::fprintf(stderr, "usage: file_transfer [size_mib]\n");
        return 2;
    }
    std::string dir_template = (fs::temp_directory_path() / "zmtp_demo_XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path dir = dir_template;
    const fs::path src = dir / "original.bin";
    make_random_file(src, static_cast<std::uint64_t>(mib) * 1024 * 1024);
    std::printf("file_transfer: %ld MiB file, 64 KiB chunks, PAIR over tcp://127.0.0.1\n", mib);

    bool ok = true;
    {
        auto from = make_zmtp_peer();
        auto to = make_libzmq_peer();
        ok &= transfer(*from, *to, src, dir / "zmtp_to_libzmq.bin");
    }
    {
        auto from = make_libzmq_peer();
        auto to = make_zmtp_peer();
        ok &= transfer(*from, *to, src, dir / "libzmq_to_zmtp.bin");
    }
    fs::remove_all(dir);
    std::printf("file_transfer: %s\n", ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}
