// Consumer of the installed C++ API: a PAIR round trip over inproc and a PUB/SUB one over tcp.
#include <zmtp/zmtp.hpp>

#include <cstdio>

int main() {
    zmtp::context ctx;
    zmtp::socket a(ctx, zmtp::socket_type::pair);
    zmtp::socket b(ctx, zmtp::socket_type::pair);
    a.set(zmtp::opt::rcvtimeo, 5000);
    a.bind("inproc://consumer");
    b.connect("inproc://consumer");
    b.send("hello from an installed zmtp");
    zmtp::message msg;
    if (!a.recv(msg) || msg.to_string() != "hello from an installed zmtp") {
        std::puts("FAIL consumer_cpp: PAIR round trip");
        return 1;
    }
    zmtp::socket pub(ctx, zmtp::socket_type::pub);
    zmtp::socket sub(ctx, zmtp::socket_type::sub);
    sub.set(zmtp::opt::rcvtimeo, 100);
    sub.set(zmtp::opt::subscribe, std::string("t"));
    pub.bind("tcp://127.0.0.1:*");
    sub.connect(pub.get(zmtp::opt::last_endpoint));
    bool got = false;
    for (int i = 0; i < 100 && !got; ++i) { // until the subscription has arrived
        pub.send("topic");
        got = sub.recv(msg) && msg.to_string() == "topic";
    }
    for (auto *s : {&a, &b, &pub, &sub})
        s->set(zmtp::opt::linger, 0);
    std::puts(got ? "ok   consumer_cpp: PAIR and PUB/SUB" : "FAIL consumer_cpp: PUB/SUB");
    return got ? 0 : 1;
}
