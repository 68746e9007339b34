// An intrusive circular list with a sentinel head, as the kernel's list_head: the destination
// list of a service is one, and schedulers keep positions in it the way ip_vs_rr.c and
// ip_vs_wrr.c keep a struct list_head pointer.
#pragma once

namespace lvs::core::ipvs {

struct ListNode {
    ListNode* prev = this;
    ListNode* next = this;

    bool linked() const { return next != this; }

    // list_add(): insert right after this node (after the head = at the front).
    void insertAfter(ListNode& node)
    {
        node.prev = this;
        node.next = next;
        next->prev = &node;
        next = &node;
    }
    // list_add_tail(): insert right before this node (before the head = at the back).
    void insertBefore(ListNode& node) { prev->insertAfter(node); }
    // list_del(): unlink this node; it then points to itself.
    void unlink()
    {
        prev->next = next;
        next->prev = prev;
        prev = next = this;
    }
};

} // namespace lvs::core::ipvs
