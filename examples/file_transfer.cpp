// file_transfer: the seed scenario. A file goes over PAIR in 64 KiB chunks from zmtp to libzmq
// and from libzmq to zmtp over tcp and ipc, and from zmtp to zmtp over inproc (an inproc peer
// must share the sender's context); each transfer checks the received file byte for byte.
// Protocol: one message per chunk (1 byte .. 64 KiB), then an empty message ends the file.
//
// usage: file_transfer [--transport tcp|ipc|inproc|all] [size_mib]
//        (default: all transports, 32 MiB of pseudo-random bytes, in a temp dir)
#include "demo_endpoint.hpp"
#include "demo_socket.hpp"

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

void send_file(demo_socket& peer, const fs::path& path) {
    file in(path, "rb");
    std::vector<char> chunk(chunk_size);
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.f))
        peer.send(chunk.data(), n);
    peer.send(nullptr, 0); // end of file
}

/// Receives chunks into `path` until the empty end marker; returns the byte count.
std::uint64_t recv_file(demo_socket& peer, const fs::path& path) {
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

/// One transfer: a PAIR from `to` binds on `transport`, a PAIR from `from` connects from a
/// thread and streams `src`; `dst` receives the copy.
bool transfer(const std::string& transport, demo_library& from, demo_library& to,
              const scratch_dir& dir, const fs::path& src) {
    const std::string direction = std::string(from.name()) + " -> " + to.name() + ":";
    std::printf("  %-6s %-17s ", transport.c_str(), direction.c_str());
    std::fflush(stdout);
    const std::string tag = std::string(from.name()) + "_to_" + to.name() + "_" + transport;
    const fs::path dst = dir.path() / (tag + ".bin");
    std::string sender_error;
    std::uint64_t received = 0;
    double seconds = 0;
    try {
        auto receiver = to.socket(demo_socket_type::pair);
        auto sender = from.socket(demo_socket_type::pair);
        const std::string endpoint = receiver->bind(dir.endpoint(transport, tag));
        const auto start = std::chrono::steady_clock::now();
        std::thread thread([&] {
            try {
                sender->connect(endpoint);
                send_file(*sender, src);
            } catch (const std::exception& e) {
                sender_error = e.what();
            }
        });
        try {
            received = recv_file(*receiver, dst);
        } catch (...) {
            thread.join();
            throw;
        }
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        thread.join();
        // Both sockets close here, after the receiver has the whole file: nothing relies on
        // LINGER to flush the tail (libzmq 4.3 can lose it over ipc, libzmq issue #4660).
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return false;
    }
    if (!sender_error.empty()) {
        std::printf("FAILED: sender: %s\n", sender_error.c_str());
        return false;
    }
    const bool same = same_contents(src, dst);
    std::printf("%llu bytes in %.3f s, %.1f MB/s, %s\n", static_cast<unsigned long long>(received),
                seconds, static_cast<double>(received) / seconds / 1e6,
                same ? "received file identical" : "FAILED: received file differs");
    fs::remove(dst);
    return same;
}

int usage() {
    std::fprintf(stderr, "usage: file_transfer [--transport tcp|ipc|inproc|all] [size_mib]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string transport_arg = "all";
    long mib = 32;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--transport" && i + 1 < argc)
            transport_arg = argv[++i];
        else if (!arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos)
            mib = std::atol(arg.c_str());
        else
            return usage();
    }
    try {
        const std::vector<std::string> transports = parse_transports(transport_arg);
        scratch_dir dir("zmtp_demo_");
        const fs::path src = dir.path() / "original.bin";
        make_random_file(src, static_cast<std::uint64_t>(mib) * 1024 * 1024);
        std::printf("file_transfer: %ld MiB file, 64 KiB chunks, PAIR\n", mib);

        auto zmtp = make_zmtp_library();
        auto libzmq = make_libzmq_library();
        bool ok = true;
        for (const auto& transport : transports) {
            if (transport == "inproc") {
                ok &= transfer(transport, *zmtp, *zmtp, dir, src); // one context: zmtp only
            } else {
                ok &= transfer(transport, *zmtp, *libzmq, dir, src);
                ok &= transfer(transport, *libzmq, *zmtp, dir, src);
            }
        }
        std::printf("file_transfer: %s\n", ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "file_transfer: %s\n", e.what());
        return 1;
    }
}
