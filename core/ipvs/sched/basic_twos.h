// The power-of-two-choices scheduler "twos" (net/netfilter/ipvs/ip_vs_twos.c).
#pragma once

#include "core/ipvs/service.h"

namespace lvs::core::ipvs {

// Draws two destinations at random, each with a probability that grows with its weight, and
// keeps the one with the smaller overhead / weight. The random source is injected.
class TwoChoiceScheduler final : public Scheduler {
public:
    // random stands for get_random_u32(); when it is empty a std::random_device is used, as
    // unpredictable as the kernel's.
    explicit TwoChoiceScheduler(Random random);

    std::string_view name() const override { return "twos"; }
    Dest* schedule(Service& service, const PacketInfo& packet) override;

private:
    Random m_random;
};

} // namespace lvs::core::ipvs
