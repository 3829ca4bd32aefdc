// static_pair: the embedding demo of issue 14 (README, "Portability and embedding"). PAIR over
// tcp on zmtp's C++ API, built fully static (-static) from the minimal library (ZMTP_MINIMAL:
// no C API, no monitor, no proxy). Two sockets in one process: bind on a loopback port,
// connect, a multipart request and its reply. Exit status 0 when both arrived intact.
#include <zmtp/zmtp.hpp>

#include <cstdio>
#include <string>

int main() {
    zmtp::context ctx;
    zmtp::socket server(ctx, zmtp::socket_type::pair);
    zmtp::socket client(ctx, zmtp::socket_type::pair);
    server.set(zmtp::opt::rcvtimeo, 10000);
    client.set(zmtp::opt::rcvtimeo, 10000);
    server.bind("tcp://127.0.0.1:*");
    const std::string endpoint = server.get(zmtp::opt::last_endpoint);
    client.connect(endpoint);

    client.send("hello", zmtp::send_flags::sndmore);
    client.send(std::string(1000, 'z')); // a long (8-octet) frame length on the wire
    zmtp::message head, body;
    const bool got = server.recv(head) && head.more() && server.recv(body) && !body.more();
    const bool request_ok = got && head.to_string() == "hello" && body.size() == 1000;
    server.send("world");
    zmtp::message reply;
    const bool reply_ok = client.recv(reply) && reply.to_string() == "world";
    std::printf("static_pair over %s: request %s, reply %s\n", endpoint.c_str(),
                request_ok ? "ok" : "FAILED", reply_ok ? "ok" : "FAILED");
    return request_ok && reply_ok ? 0 : 1;
}
