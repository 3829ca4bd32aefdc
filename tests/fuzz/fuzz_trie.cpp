// libFuzzer entry point for the subscription trie (core/sockets/subscription_trie): the input
// is decoded into a sequence of add / remove / match / retire / teardown operations, each
// checked against a reference model (per id, the set of its topics). Checked: add and remove
// answer as a set would (C-PUB-4/5); for_each_match reports every live id exactly once per
// matching topic and no id the model does not know; matches() agrees; an id retired (a
// subscriber that left) may be reported only until its teardown has finished, and the
// teardown removes no more than its budget per step. Aborts on any disagreement.
#include "core/sockets/subscription_trie.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

using zmtp::detail::subscription_trie;
using id_type = subscription_trie::id_type;

void expect(bool ok) {
    if (!ok)
        std::abort();
}

/// Reads the input front to back; past its end every read yields 0.
struct reader {
    const std::uint8_t *p;
    std::size_t left;
    bool done() const noexcept { return left == 0; }
    std::uint8_t byte() noexcept {
        if (left == 0)
            return 0;
        --left;
        return *p++;
    }
    /// A short string over a 3-letter alphabet (so prefixes collide often) or, when the length
    /// octet's top bit is set, raw octets (NUL, 0xff...) up to 63.
    std::string text() {
        const std::uint8_t len = byte();
        std::string s;
        if (len & 0x80) {
            for (int i = len & 0x3f; i > 0; --i)
                s.push_back(static_cast<char>(byte()));
        } else {
            for (int i = len % 6; i > 0; --i)
                s.push_back(static_cast<char>('a' + byte() % 3));
        }
        return s;
    }
};

struct model {
    std::map<id_type, std::multiset<std::string>> live; // topics per live id (a set in effect)
    std::set<id_type> retired;                          // may still be reported

    bool has(id_type id, const std::string &t) const {
        auto it = live.find(id);
        return it != live.end() && it->second.count(t) > 0;
    }
    /// Matching topics per live id for `data`.
    std::map<id_type, int> matches(std::string_view data) const {
        std::map<id_type, int> out;
        for (const auto &[id, topics] : live)
            for (const auto &t : topics)
                if (data.substr(0, t.size()) == t)
                    ++out[id];
        return out;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    reader in{data, size};
    subscription_trie trie;
    model ref;
    id_type next_id = 1; // ids are never reused once retired, as the PUB guarantees
    std::map<std::uint8_t, id_type> slot; // an input octet names one of a few current ids
    auto id_of = [&](std::uint8_t b) {
        auto &id = slot[b % 4];
        if (id == 0)
            id = next_id++;
        return id;
    };
    while (!in.done()) {
        const std::uint8_t op = in.byte() % 6;
        switch (op) {
        case 0:
        case 1: { // add (twice as likely, so the trie fills)
            const id_type id = id_of(in.byte());
            const std::string t = in.text();
            const bool fresh = !ref.has(id, t);
            expect(trie.add(t, id) == fresh);
            if (fresh)
                ref.live[id].insert(t);
            break;
        }
        case 2: { // remove
            const id_type id = id_of(in.byte());
            const std::string t = in.text();
            const bool present = ref.has(id, t);
            expect(trie.remove(t, id) == present);
            if (present)
                ref.live[id].erase(t);
            break;
        }
        case 3: { // match
            const std::string d = in.text() + in.text();
            std::map<id_type, int> got;
            trie.for_each_match(d, [&](id_type id) { ++got[id]; });
            const auto want = ref.matches(d);
            bool any_live = false;
            for (const auto &[id, n] : got) {
                if (ref.live.count(id)) {
                    auto w = want.find(id);
                    expect(w != want.end() && w->second == n);
                    any_live = true;
                } else {
                    expect(ref.retired.count(id) && trie.retiring() > 0);
                }
            }
            for (const auto &[id, n] : want)
                expect(got.count(id) && got[id] == n);
            expect(any_live == !want.empty());
            expect(trie.matches(d) == (any_live || !got.empty()));
            break;
        }
        case 4: { // retire an id (its subscriber left) with all its topics
            const std::uint8_t b = in.byte() % 4;
            auto it = slot.find(b);
            if (it == slot.end())
                break;
            const id_type id = it->second;
            slot.erase(it);
            std::set<std::string> topics;
            if (auto l = ref.live.find(id); l != ref.live.end()) {
                topics.insert(l->second.begin(), l->second.end());
                ref.live.erase(l);
            }
            const auto before = trie.retiring();
            trie.retire(id, std::move(topics));
            expect(trie.retiring() >= before);
            ref.retired.insert(id);
            break;
        }
        default: { // a bounded teardown step
            const std::size_t budget = in.byte() % 8;
            const auto before = trie.retiring();
            const auto done = trie.teardown_step(budget);
            expect(done <= budget && done <= before && trie.retiring() == before - done);
            expect(done == budget || trie.retiring() == 0);
            if (trie.retiring() == 0)
                ref.retired.clear(); // nothing of them is left to report
            break;
        }
        }
    }
    // Finish the teardown: afterwards the trie holds exactly the live topics.
    while (trie.retiring() > 0)
        expect(trie.teardown_step(3) > 0);
    for (const auto &entry : ref.live)
        for (const auto &t : entry.second) {
            const id_type id = entry.first;
            bool seen = false;
            trie.for_each_match(t, [&](id_type m) { seen = seen || m == id; });
            expect(seen);
            expect(trie.remove(t, id));
        }
    expect(!trie.matches(std::string_view("")) && !trie.matches("abcabc"));
    return 0;
}
