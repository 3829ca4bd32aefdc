/* zmq_timers (issue 10, item 15): when zmq_timers_timeout answers 0, a zmq_timers_execute
 * called right after runs the timer: both read the same millisecond clock. Each round arms a
 * 1 ms timer and spins on zmq_timers_timeout until it says 0 (no sleep), then executes once. */
#include "check.h"

static int fired = 0;

static void on_timer(int timer_id, void *arg) {
    (void)timer_id;
    (void)arg;
    ++fired;
}

int main(void) {
    void *timers = zmq_timers_new();
    CHECK(timers != NULL, "zmq_timers_new");
    int missed = 0;
    const int rounds = 200;
    for (int round = 0; round < rounds; ++round) {
        const int id = zmq_timers_add(timers, 1, on_timer, NULL);
        if (id < 0) {
            CHECK(0, "zmq_timers_add");
            break;
        }
        while (zmq_timers_timeout(timers) != 0) {
        }
        const int before = fired;
        zmq_timers_execute(timers);
        if (fired == before)
            ++missed;
        zmq_timers_cancel(timers, id);
    }
    printf("timeout 0 without the timer running: %d of %d rounds\n", missed, rounds);
    CHECK(missed == 0, "every timeout of 0 is followed by an execute that runs the timer");

    /* A timer not yet due: timeout is positive and execute leaves it alone. */
    fired = 0;
    const int id = zmq_timers_add(timers, 60000, on_timer, NULL);
    CHECK(zmq_timers_timeout(timers) > 0, "a 60 s timer: timeout is positive");
    CHECK(zmq_timers_execute(timers) == 0 && fired == 0, "execute does not run it early");
    CHECK(zmq_timers_cancel(timers, id) == 0, "cancel");
    CHECK(zmq_timers_destroy(&timers) == 0 && timers == NULL, "zmq_timers_destroy");
    return check_finish("timers_clock");
}
