// A prefix tree of subscriptions (RFC 29): each node is one byte of a topic and lists the
// subscribers (ids) whose topic ends there. Matching a message walks its first frame once, so
// it costs O(length of the frame's matching prefix), not O(number of subscriptions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zmtp::detail {

class subscription_trie {
public:
    using id_type = std::uint32_t;

    subscription_trie();
    ~subscription_trie();
    subscription_trie(const subscription_trie&) = delete;
    subscription_trie& operator=(const subscription_trie&) = delete;

    /// Adds `id` under `topic`; false if it was already there (set semantics, C-PUB-4).
    bool add(std::string_view topic, id_type id);
    /// Removes `id` from `topic`; false if it was not there (unknown CANCEL, C-PUB-5).
    bool remove(std::string_view topic, id_type id);
    /// Calls `fn(id)` once per id whose topic is a prefix of `data` (ids may repeat when one
    /// id has several matching topics; callers dedupe).
    template <typename Fn> void for_each_match(std::string_view data, Fn&& fn) const;
    /// True if any topic is a prefix of `data`.
    bool matches(std::string_view data) const;

    /// Schedules the removal of all of `id`'s `topics` (a subscriber that left) for later
    /// teardown_step() calls, so that no single call pays for a million subscriptions. Until
    /// then `id` may still be matched: callers ignore ids they no longer know, and never
    /// reuse a retired id.
    void retire(id_type id, std::set<std::string> topics);
    /// Removes up to `budget` retired topics; returns how many it removed.
    std::size_t teardown_step(std::size_t budget);
    /// Retired topics not yet removed.
    std::size_t retiring() const noexcept { return retiring_topics_; }

private:
    struct node;
    node* find_child(const node* n, unsigned char c) const;
    std::unique_ptr<node> root_;
    std::deque<std::pair<id_type, std::set<std::string>>> retired_;
    std::size_t retiring_topics_ = 0;
};

struct subscription_trie::node {
    std::vector<id_type> ids; ///< subscribers whose topic ends here
    std::vector<std::pair<unsigned char, std::unique_ptr<node>>> children; ///< sorted by byte
};

template <typename Fn> void subscription_trie::for_each_match(std::string_view data, Fn&& fn) const {
    const node* n = root_.get();
    std::size_t i = 0;
    while (n) {
        for (id_type id : n->ids)
            fn(id);
        if (i == data.size())
            break;
        n = find_child(n, static_cast<unsigned char>(data[i++]));
    }
}

} // namespace zmtp::detail
