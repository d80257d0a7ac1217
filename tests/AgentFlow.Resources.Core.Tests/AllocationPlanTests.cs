using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// PlanAllocation (for Add-Allocation -WhatIf) says exactly what Allocate then does, for every store, and changes
    /// nothing: checked on examples and against the real outcome over long random sequences.
    /// </summary>
    public abstract class AllocationPlanTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void A_plan_that_fits_evicts_nothing_and_changes_nothing()
        {
            StateMonitor m = Monitor(state: 100, value: 50);
            m.RecordAllocation("a", 10);
            string before = Fingerprint(m);
            AllocationPlan plan = m.PlanAllocation("b", 20);
            Assert.Equal(before, Fingerprint(m));
            Assert.True(plan.WouldRecord);
            Assert.Empty(plan.Evictions);
            Assert.Equal((10L, 1L, 30L, 2L, 20L), (plan.SizeBefore, plan.CountBefore, plan.SizeAfter, plan.CountAfter, plan.ResidentSize));
            Assert.Empty(m.PeekAlerts());
        }

        [Fact]
        public void A_plan_of_a_value_over_MaxValueSize_is_a_rejection()
        {
            StateMonitor m = Monitor(state: 100, value: 50);
            AllocationPlan plan = m.PlanAllocation("big", 60);
            Assert.False(plan.WouldRecord);
            Assert.Equal((LimitedResource.ValueSize, 60L, 50L), (plan.RejectedResource, plan.AttemptedValue, plan.Limit));
            Assert.Equal(0, m.GetStats().RejectedAllocations);
            Assert.Empty(m.PeekAlerts());
        }

        [Theory]
        [InlineData(11)]
        [InlineData(23)]
        [InlineData(47)]
        public void Plans_match_what_the_allocation_then_does(int seed)
        {
            var random = new Random(seed);
            foreach (bool auto in new[] { true, false })
            {
                StateMonitor m = Monitor(state: 200, value: 60, entries: 12, threshold: 0.8, auto: auto, streaming: seed % 2 == 1, chunk: 15);
                for (int step = 0; step < 600; step++)
                {
                    string key = "k" + random.Next(16);
                    switch (random.Next(6))
                    {
                        case 0:
                            try
                            {
                                m.RecordDeallocation(key, random.Next(30));
                            }
                            catch (ArgumentException)
                            {
                                // A counters-only store refuses to go below zero, and changes nothing.
                            }

                            continue;
                        case 1:
                            m.RecordAccess(key);
                            continue;
                        case 2:
                            m.Unpin(key);
                            continue;
                    }

                    long size = random.Next(80);
                    bool pin = random.Next(8) == 0;
                    string before = Fingerprint(m);
                    AllocationPlan plan = m.PlanAllocation(key, size, pin);
                    Assert.Equal(before, Fingerprint(m));

                    AllocationResult result = m.Allocate(key, size, AllocationOptions.ReturnEntries | (pin ? AllocationOptions.Pin : AllocationOptions.None));
                    string at = $"seed {seed}, auto {auto}, step {step}: {key}={size}{(pin ? "!" : string.Empty)}";
                    Assert.True(result.Recorded == plan.WouldRecord, at);
                    if (!result.Recorded)
                    {
                        Assert.True((result.RejectedResource, result.AttemptedValue, result.Limit) == (plan.RejectedResource, plan.AttemptedValue, plan.Limit), at);
                        continue;
                    }

                    Assert.True(result.IsStreamed == plan.IsStreamed && result.ResidentSize == plan.ResidentSize, at);
                    Assert.True(string.Join(",", plan.Evictions.Select(Describe)) == string.Join(",", result.Evicted.Select(Describe)), at);
                    Assert.True(plan.BytesToFree == result.Evicted.Sum(e => e.ResidentSize), at);
                    Assert.True((plan.SizeAfter, plan.CountAfter) == (m.CurrentSize, m.ValueCount), at);
                }
            }
        }
    }

    public sealed class MemoryStore_AllocationPlanTests : AllocationPlanTests<MemoryStores>
    {
        [Fact]
        public void Plans_the_threshold_cleanup_after_the_allocation()
        {
            // 70 of 100 bytes; 10 more reach the 80 % threshold, and cleanup evicts down to the 70 % target.
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8);
            foreach (string key in new[] { "a", "b", "c", "d", "e", "f", "g" })
            {
                m.RecordAllocation(key, 10);
            }

            m.Pin("a");
            AllocationPlan plan = m.PlanAllocation("h", 10);
            Assert.Equal(new[] { "b" }, plan.Evictions.Select(e => e.Key));
            Assert.Equal((80L, 10L, 70L, 7L), (70L + plan.ResidentSize, plan.BytesToFree, plan.SizeAfter, plan.CountAfter));
        }

        [Fact]
        public void Plans_the_evictions_that_admit_a_value_and_names_the_entry_it_replaces()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.95, target: 0.9);
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 20);
            AllocationPlan plan = m.PlanAllocation("b", 45, pin: true);
            Assert.Equal("b", plan.Replaced!.Key);
            Assert.Equal(30, plan.Replaced.Size);
            Assert.True(plan.Pin);
            Assert.Equal(new[] { "a" }, plan.Evictions.Select(e => e.Key));
            Assert.Equal(65, plan.SizeAfter);
        }

        [Theory]
        [InlineData(4, new[] { "c" }, 79)]   // pins keep 70 out of reach: evict only to just below the 80-byte threshold
        [InlineData(6, new string[0], 84)]   // even that is out of reach (75 pinned + 6): evict nothing
        public void Plans_the_threshold_cleanup_that_pins_hold_above_the_target(long size, string[] evicted, long sizeAfter)
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.7);
            m.Allocate("a", 40, pin: true);
            m.Allocate("b", 35, pin: true);
            m.RecordAllocation("c", 3);
            AllocationPlan plan = m.PlanAllocation("d", size);
            Assert.Equal(evicted, plan.Evictions.Select(e => e.Key));
            Assert.Equal(sizeAfter, plan.SizeAfter);
            AllocationResult result = m.Allocate("d", size, AllocationOptions.ReturnEntries);
            Assert.Equal(evicted, result.Evicted.Select(e => e.Key));
            Assert.Equal(sizeAfter, m.CurrentSize);
        }

        [Fact]
        public void A_plan_that_pins_cannot_make_room_for_is_a_rejection_that_says_so()
        {
            StateMonitor m = Monitor(state: 100, value: 50);
            m.Allocate("a", 40, pin: true);
            m.Allocate("b", 40, pin: true);
            string before = Fingerprint(m);
            AllocationPlan plan = m.PlanAllocation("c", 30);
            Assert.False(plan.WouldRecord);
            Assert.True(plan.CleanupCannotHelp);
            Assert.Equal(LimitedResource.StateSize, plan.RejectedResource);
            Assert.Equal(before, Fingerprint(m));
        }
    }

    public sealed class CountingStore_AllocationPlanTests : AllocationPlanTests<CountingStores>
    {
        [Fact]
        public void A_store_that_cannot_evict_plans_a_rejection_where_the_memory_store_would_evict()
        {
            StateMonitor m = Monitor(state: 100, value: 50, auto: true);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 40);
            AllocationPlan plan = m.PlanAllocation("c", 20);
            Assert.False(plan.WouldRecord);
            Assert.Equal((LimitedResource.StateSize, 110L, 100L), (plan.RejectedResource, plan.AttemptedValue, plan.Limit));
            Assert.Empty(plan.Evictions);
        }
    }

    /// <summary>A store that keeps its state in a <see cref="MemoryStore"/> but plans through the base class's default.</summary>
    public sealed class DefaultPlanningStores : IStoreFactory
    {
        public StateStore Create(ResourceLimits limits, string name, int maxAlerts) => new DefaultPlanningStore(new MemoryStore(name, limits, maxAlerts));

        public StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state) => new DefaultPlanningStore(MemoryStore.Restore(name, limits, maxAlerts, state));

        private sealed class DefaultPlanningStore : ForwardingStore
        {
            public DefaultPlanningStore(MemoryStore inner)
                : base(inner)
            {
            }

            public override string Kind => "DefaultPlanning";
        }
    }

    public sealed class DefaultPlanning_AllocationPlanTests : AllocationPlanTests<DefaultPlanningStores>
    {
    }
}
