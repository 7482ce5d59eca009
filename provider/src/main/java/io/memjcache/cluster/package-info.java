/**
 * Where each key lives and what one client believes of each memcached node.
 *
 * <p><b>Suspicion is not evidence</b> (DESIGN invariant 3). The design rests on telling the two
 * apart:
 *
 * <ul>
 *   <li>A timeout says something about a node or about this client, and a paused client cannot tell
 *       which. Timeouts across a pause of this JVM (GC, SIGSTOP, a stalled machine; see
 *       {@link io.memjcache.cluster.PauseDetector}) are not held against anyone. Other timeouts and
 *       dropped connections only make a node SUSPECTED: its keys are read from their other
 *       replica, which holds every acknowledged write, and writes to its keys wait for a verdict, for
 *       one operation timeout after the suspicion at most, and are refused if none comes. Nothing
 *       is written around a suspect, so it misses nothing and is never flushed when it answers.
 *   <li>A client that times out on more nodes at once than a key has other replicas is the likelier
 *       culprit: it suspects no further node.
 *   <li>Evidence makes a node DOWN: its port refuses connections, it lost its membership mark
 *       (restarted or flushed), or it stayed silent for {@code downAfterMillis}. A verdict resting
 *       on silence is left on the other nodes as a {@link io.memjcache.cluster.DownNotice} with a
 *       time some probes ahead, and every client switches the node's keys to stand-ins at that
 *       time, also one that can still reach it.
 *   <li>Only a DOWN node can have missed writes, so only a DOWN node is flushed when it answers; it
 *       then joins at a switch time kept in its {@link io.memjcache.cluster.MembershipMark}, is
 *       reconciled with its other replicas by write version, and counts as UP for every client only
 *       once its mark says so.
 * </ul>
 *
 * <p><b>Vocabulary.</b> A key's <i>home replicas</i> are the {@code copies} nodes ketama gives it when
 * every node is up (its <i>primary</i>, then the next nodes of the ring or of the backup pool). Its
 * <i>live replicas</i> are those in use now: a DOWN home replica is replaced by the next node of the
 * ring, a <i>stand-in</i>, which holds only the writes made since it stood in and is never read from
 * on a miss. The first live replica is the key's <i>lead</i>: it decides conditional writes, and the
 * others receive copies of its decisions.
 *
 * <p><b>Each rule, where it is kept and what checks it.</b> The tests on real memcached come first;
 * {@code ReplicationReplayTest} and {@code MembershipReplayTest} replay a race step by step on fake
 * nodes (in memory, scripted faults), and fail when the rule's line is broken.
 *
 * <ul>
 *   <li>No write is acknowledged while a replica in use lacks it: {@link
 *       io.memjcache.cluster.ReplicaSets} (replicate, {@link io.memjcache.cluster.AppliedOn}
 *       per node life: {@link io.memjcache.cluster.AppliedOn#contains}); {@code FailoverTest},
 *       {@code PausedClientsChaosTest}; replays {@code
 *       aSetThatTimedOutOnTheBackupIsSentAgainBeforeItIsAcknowledged}, {@code
 *       aSetThatReachedTheBackupsFormerLifeIsSentToItsNewLifeBeforeItIsAcknowledged}.
 *   <li>Nothing is written around a suspect; its writes wait for a verdict: {@link
 *       io.memjcache.cluster.Replicas#forWrite}, {@link io.memjcache.cluster.Membership#awaitVerdict};
 *       {@code SuspectedNodeWriteTest}, {@code FailoverTest}; replay {@code
 *       aSuspectThatAnswersWithTheMarkThisClientKnewIsClearedNotFlushed}.
 *   <li>A timeout is a suspicion, only evidence makes a node DOWN, and only a DOWN node is flushed:
 *       {@link io.memjcache.cluster.Membership#suspect}, {@link
 *       io.memjcache.cluster.RejoinMonitor} (weighs a suspect: a refused port before any read, then
 *       its mark), {@link io.memjcache.cluster.Readmission} (flushes); {@code FailoverTest}, {@code
 *       MembershipTest}; replays {@code aSuspectWhosePortRefusesIsShownDownBeforeItsProbeReadsIt},
 *       {@code aSuspectThatAnswersWithTheMarkThisClientKnewIsClearedNotFlushed}.
 *   <li>A conditional write is decided once, by the lead, and its copies never overwrite a write
 *       decided without it: {@link io.memjcache.cluster.DecisionCopies}; {@code ReplicaCopyTest},
 *       {@code ConditionalRaceTest}, {@code CrossClientAtomicityTest}; replays {@code
 *       aDecisionForkedOnTheBackupIsNeverOverwrittenByTheLeadsCopy}, {@code
 *       aWriteRacingADecisionsCopyThroughTheLeadIsNoFork}.
 *   <li>A decision's copy skips its read of a replica only while the replica still holds exactly
 *       what it held when read with the lead, and only where a fresh read would let the copy replace
 *       it: {@link io.memjcache.cluster.ReplicaReadAhead}, {@link io.memjcache.cluster.DecisionCopies}
 *       (appliedOnWhatWasRead); {@code RoundTripBudgetTest}; replays {@code
 *       aBackupChangedSinceItWasReadWithTheLeadIsReadAgainBeforeTheCopy}, {@code
 *       aConditionalWriteReadsTheBackupOnceWithTheLead}.
 *   <li>A conditional write whose lead did not answer is reported unknown, never a conflict (it may
 *       have been applied): {@link io.memjcache.cluster.ReplicatedItemStore} (decidedByLead); replay
 *       {@code anAddTheLeadAppliedWithoutAnsweringIsUnknownNotAConflict}.
 *   <li>A decision on a key's new lead never overtakes one made on the lead just marked down: {@link
 *       io.memjcache.cluster.Membership#awaitStableRouting}; {@code ReplicationRaceTest}, the chaos
 *       suites' counters; replay {@code
 *       aDecisionOnTheNewLeadWaitsForTheCopyOfOneMadeOnTheLeadJustMarkedDown}.
 *   <li>A miss is checked on the other home replicas, never on a stand-in: {@link
 *       io.memjcache.cluster.ReplicaReads}, {@link io.memjcache.cluster.Routing#readReplicas};
 *       {@code FailoverTest}, {@code InStepChaosTest}, {@code StandInCopyTest}; replays {@code
 *       aMissOnALeadFlushedUnnoticedIsAnsweredByTheBackup}, {@code
 *       aMissIsNotAnsweredByAStandInsLeftover}.
 *   <li>A remove counts no stand-in's leftover copy: {@link
 *       io.memjcache.cluster.ReplicaDeletes} (deleteEverywhere); {@code StandInCopyTest}; replay
 *       {@code aRemoveDoesNotCountAStandInsLeftover}.
 *   <li>A copy between replicas never brings back a delete: {@link io.memjcache.cluster.ReplicaCopy}
 *       (fenced by the target's item or a claim), deletes reach the lead last and leave a tombstone
 *       on a node being repaired ({@link io.memjcache.cluster.ReplicaDeletes}); {@code
 *       ReplicaCopyTest}, {@code OutOfStepChaosTest}; replays {@code
 *       aDeleteBetweenTheReadAndTheWriteOfACopyStaysDeleted}, {@code
 *       aReadBetweenTheStepsOfADeleteBringsNothingBack}, {@code
 *       aDeleteBetweenTheRepairsReadAndItsCopyStaysDeleted} (a repair, {@link
 *       io.memjcache.cluster.Repairs}).
 *   <li>A node switches back in at one moment for every client, flushed once: {@link
 *       io.memjcache.cluster.MembershipMark}, {@link io.memjcache.cluster.Readmission} (claims the
 *       flush on the mark first), {@link io.memjcache.cluster.Membership#awaitStableRouting};
 *       {@code ReplicationRaceTest}, {@code MembershipTest}; replay {@code
 *       ofTwoClientsReadmittingAReturnedNodeOnlyTheFirstToClaimItFlushes}.
 *   <li>Clients on different server lists never mix: {@link io.memjcache.cluster.ServerListCheck};
 *       {@code ServerListChangeTest}, {@code PausedClientsChaosTest}.
 * </ul>
 *
 * <p><b>Classes by concern.</b> {@link io.memjcache.cluster.Placement} (where keys live, pure
 * logic over the {@link io.memjcache.cluster.KetamaRing}s), {@link io.memjcache.cluster.Membership}
 * (what this client believes of each node, the switch guard), {@link
 * io.memjcache.cluster.Routing} (the live replicas of a key and the order reads ask them), {@link
 * io.memjcache.cluster.Cluster} (joins them; JMX). One node: what the cluster asks of it is a
 * {@link io.memjcache.cluster.Node} ({@link io.memjcache.cluster.Pending} for the pipelined
 * forms); {@link io.memjcache.cluster.NodeClient} answers it, the only class that sends operations
 * through spymemcached, with {@link io.memjcache.cluster.SpyConnections}, {@link
 * io.memjcache.cluster.SpyResults} and {@link io.memjcache.cluster.SpyPending};
 * the cluster's signed records on it, {@link io.memjcache.cluster.NodeRecords}. Probes and
 * readmission: {@link io.memjcache.cluster.RejoinMonitor}, {@link
 * io.memjcache.cluster.Readmission}, {@link io.memjcache.cluster.MarksAndNotices}, {@link
 * io.memjcache.cluster.Repairs}. Replication: {@link io.memjcache.cluster.ReplicatedItemStore} and
 * the classes it names.
 *
 * <p><b>Dependencies.</b> This package depends on no other package of the provider: what it needs
 * of entries ({@link io.memjcache.cluster.ItemFormat}), of the secret ({@link
 * io.memjcache.cluster.RecordSigner}) and of logging ({@link io.memjcache.cluster.LogRoute}) it
 * declares itself, and gets in a {@link io.memjcache.cluster.ClusterConfig}; {@code
 * ArchitectureTest} checks it.
 *
 * <p>Assumptions: clients of one cluster share their timing settings; their wall clocks agree
 * within a small part of an operation timeout; no two nodes holding copies of the same key fail
 * before the first one's repair completes.
 */
package io.memjcache.cluster;
