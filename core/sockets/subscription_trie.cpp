// subscription_trie: insertion, removal with pruning of empty branches, lookup.
#include "core/sockets/subscription_trie.hpp"

#include <algorithm>

namespace zmtp::detail {

subscription_trie::subscription_trie() : root_(std::make_unique<node>()) {}
subscription_trie::~subscription_trie() {
    // Iterative teardown: a 70 000-byte topic is a 70 000-deep chain, too deep to recurse.
    std::vector<std::unique_ptr<node>> pending;
    pending.push_back(std::move(root_));
    while (!pending.empty()) {
        auto n = std::move(pending.back());
        pending.pop_back();
        for (auto& child : n->children)
            pending.push_back(std::move(child.second));
    }
}

subscription_trie::node* subscription_trie::find_child(const node* n, unsigned char c) const {
    auto it = std::lower_bound(n->children.begin(), n->children.end(), c,
                               [](const auto& child, unsigned char b) { return child.first < b; });
    return it != n->children.end() && it->first == c ? it->second.get() : nullptr;
}

bool subscription_trie::add(std::string_view topic, id_type id) {
    node* n = root_.get();
    for (char ch : topic) {
        const auto c = static_cast<unsigned char>(ch);
        auto it = std::lower_bound(
            n->children.begin(), n->children.end(), c,
            [](const auto& child, unsigned char b) { return child.first < b; });
        if (it == n->children.end() || it->first != c)
            it = n->children.emplace(it, c, std::make_unique<node>());
        n = it->second.get();
    }
    if (std::find(n->ids.begin(), n->ids.end(), id) != n->ids.end())
        return false;
    n->ids.push_back(id);
    return true;
}

bool subscription_trie::remove(std::string_view topic, id_type id) {
    // Remember the path so empty branches can be pruned on the way back.
    std::vector<node*> path{root_.get()};
    for (char ch : topic) {
        node* next = find_child(path.back(), static_cast<unsigned char>(ch));
        if (!next)
            return false;
        path.push_back(next);
    }
    auto& ids = path.back()->ids;
    auto it = std::find(ids.begin(), ids.end(), id);
    if (it == ids.end())
        return false;
    ids.erase(it);
    for (std::size_t depth = topic.size(); depth > 0; --depth) {
        node* n = path[depth];
        if (!n->ids.empty() || !n->children.empty())
            break;
        auto& siblings = path[depth - 1]->children;
        const auto c = static_cast<unsigned char>(topic[depth - 1]);
        siblings.erase(std::find_if(siblings.begin(), siblings.end(),
                                    [c](const auto& child) { return child.first == c; }));
    }
    return true;
}

bool subscription_trie::matches(std::string_view data) const {
    bool found = false;
    const node* n = root_.get();
    std::size_t i = 0;
    while (n && !found) {
        found = !n->ids.empty();
        if (i == data.size())
            break;
        n = find_child(n, static_cast<unsigned char>(data[i++]));
    }
    return found;
}

void subscription_trie::retire(id_type id, std::set<std::string> topics) {
    if (topics.empty())
        return;
    retiring_topics_ += topics.size();
    retired_.emplace_back(id, std::move(topics));
}

std::size_t subscription_trie::teardown_step(std::size_t budget) {
    std::size_t done = 0;
    while (done < budget && !retired_.empty()) {
        auto& [id, topics] = retired_.front();
        while (done < budget && !topics.empty()) {
            remove(*topics.begin(), id);
            topics.erase(topics.begin());
            ++done;
        }
        if (topics.empty())
            retired_.pop_front();
    }
    retiring_topics_ -= done;
    return done;
}

} // namespace zmtp::detail
