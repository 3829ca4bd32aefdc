/* zmq_msg_* semantics through the plain C API: sizes, copy sharing, move, and the
 * zmq_msg_init_data free callback running exactly once after the last copy is closed. */
#include "check.h"

static int free_calls = 0;
static void *freed_data = NULL;

static void on_free(void *data, void *hint) {
    ++*(int *)hint;
    freed_data = data;
}

int main(void) {
    zmq_msg_t a, b;
    CHECK(zmq_msg_init(&a) == 0 && zmq_msg_size(&a) == 0, "zmq_msg_init: empty");
    CHECK(zmq_msg_more(&a) == 0 && zmq_msg_get(&a, ZMQ_MORE) == 0, "fresh message: no MORE");
    zmq_msg_close(&a);

    CHECK(zmq_msg_init_size(&a, 300) == 0 && zmq_msg_size(&a) == 300, "zmq_msg_init_size 300");
    memset(zmq_msg_data(&a), 'a', 300);
    zmq_msg_init(&b);
    CHECK(zmq_msg_copy(&b, &a) == 0, "zmq_msg_copy");
    CHECK(zmq_msg_size(&b) == 300 && ((char *)zmq_msg_data(&b))[299] == 'a', "copy content");
    zmq_msg_close(&a);
    zmq_msg_close(&b);

    static char payload[4096];
    memset(payload, 'p', sizeof payload);
    CHECK(zmq_msg_init_data(&a, payload, sizeof payload, on_free, &free_calls) == 0,
          "zmq_msg_init_data");
    CHECK(zmq_msg_data(&a) == payload, "zmq_msg_data is the adopted buffer");
    zmq_msg_init(&b);
    zmq_msg_copy(&b, &a);
    zmq_msg_close(&a);
    CHECK(free_calls == 0, "no free while a copy is alive");
    zmq_msg_t c;
    zmq_msg_init(&c);
    CHECK(zmq_msg_move(&c, &b) == 0, "zmq_msg_move");
    CHECK(zmq_msg_size(&b) == 0, "move leaves the source empty");
    CHECK(zmq_msg_size(&c) == sizeof payload, "move target holds the payload");
    zmq_msg_close(&b);
    CHECK(free_calls == 0, "closing the moved-from message frees nothing");
    zmq_msg_close(&c);
    CHECK(free_calls == 1 && freed_data == payload, "free callback ran once, with the buffer");
    return check_finish("msg_api");
}
