// static_pair: the embedding demo of issue 14 (README, "Portability and embedding"). PAIR over
// tcp on zmtp's C++ API, built fully static (-static) from the minimal library (ZMTP_MINIMAL:
// no C API, no monitor, no proxy). Two sockets in one process: bind on a loopback port,
// connect (by "localhost"), a multipart request and its reply. Exit status 0 when both arrived
// intact. It also says how a tcp connect to a host name fares: looked up at each dial, or (built
// with ZMTP_NO_DNS, as tools/static_size.sh does) refused at once with EINVAL.
#include <zmtp/zmtp.hpp>

#include <cstdio>
#include <string>
#include <system_error>

int main() {
    zmtp::context ctx;
    zmtp::socket server(ctx, zmtp::socket_type::pair);
    zmtp::socket client(ctx, zmtp::socket_type::pair);
    server.set(zmtp::opt::rcvtimeo, 10000);
    client.set(zmtp::opt::rcvtimeo, 10000);
    server.bind("tcp://127.0.0.1:*");
    const std::string endpoint = server.get(zmtp::opt::last_endpoint);
    // "tcp://127.0.0.1:port" -> "tcp://localhost:port": a name even the resolver-less build takes.
    client.connect("tcp://localhost" + endpoint.substr(endpoint.rfind(':')));

    zmtp::socket named(ctx, zmtp::socket_type::pair);
    std::error_code name_ec;
    named.connect("tcp://zmtp-demo.invalid:5555", name_ec);
    // tools/static_size.sh builds tcp only (ZMTP_TRANSPORTS=tcp): the others are refused.
    zmtp::socket local(ctx, zmtp::socket_type::pair);
    std::error_code inproc_ec;
    local.bind("inproc://static-pair", inproc_ec);
    std::printf("inproc: %s\n", inproc_ec == std::errc::protocol_not_supported
                                    ? "not built in (EPROTONOSUPPORT)"
                                    : inproc_ec ? inproc_ec.message().c_str() : "built in");
    std::printf("tcp host names: %s\n", name_ec == std::errc::invalid_argument
                                             ? "refused at connect (EINVAL): built without DNS"
                                             : name_ec ? name_ec.message().c_str()
                                                       : "looked up at each dial");

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
