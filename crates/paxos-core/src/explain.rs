//! Why a node did what it did: the rule behind each refusal and each choice, as data.
//!
//! A node that is asked to ([`crate::Protocol::set_explain`]) pushes an [`Output::Explain`] at the
//! point it makes a decision, carrying a [`Rule`]: which rule of the protocol applied, with the
//! numbers it applied to (ballots, terms, counts). The rule names where it is stated
//! ([`Rule::source`]: a seed note or a paper's section) and the catalogue key of its words
//! ([`Rule::key`]); the words themselves live in the page's and the command line's catalogues
//! (`lang/<code>.json`), never here.
//!
//! ```text
//!  node.step(Message Accept 1.1 from n1)
//!     ├─ Explain(AcceptRefused { node: n4, to: n1, ballot: 1.1, promised: 1.2, .. })
//!     └─ Send { to: n1, msg: Nack }            ◀─ an Explain right before the Send it explains
//! ```
//!
//! An `Explain` whose [`Rule::answered`] names the receiver of the `Send` that directly follows it
//! explains that message too (a `Nack`, a `Vote` denied); every `Explain` explains its step. A node
//! not asked to explain pushes none: the bare simulator pays one branch per decision.

use core::fmt;

use crate::Output;
#[cfg(doc)]
use crate::Protocol;
use crate::types::{Ballot, ClientId, NodeId, Seq, Slot, Value};

/// A Raft term (as [`crate::raft::Term`]).
pub type Term = u32;

/// Which value, told apart without copying it: a no-op, or the first command of a batch (its
/// client and request number) and how many more the batch holds. `Copy`, so a [`Rule`] allocates
/// nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueId {
    /// A no-op.
    Noop,
    /// A batch of client commands.
    Batch {
        /// The first command's client.
        client: ClientId,
        /// The first command's request number.
        seq: Seq,
        /// How many commands follow the first.
        more: u16,
    },
}

impl ValueId {
    /// The id of `value`.
    pub fn of(value: &Value) -> ValueId {
        match value.commands() {
            [] => ValueId::Noop,
            [first, rest @ ..] => ValueId::Batch {
                client: first.client,
                seq: first.seq,
                more: u16::try_from(rest.len()).unwrap_or(u16::MAX),
            },
        }
    }
}

/// `noop`, `c1#4`, or `c1#4+2` (two more commands in the batch), as commands are written elsewhere.
impl fmt::Display for ValueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ValueId::Noop => f.write_str("noop"),
            ValueId::Batch { client, seq, more: 0 } => write!(f, "c{}#{seq}", client + 1),
            ValueId::Batch { client, seq, more } => write!(f, "c{}#{seq}+{more}", client + 1),
        }
    }
}

/// A rule a node applied, with what it applied it to. `node` is always the node that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    // ------------------------------------------------------------ Paxos acceptor (basic, multi, fast)
    /// Refused a `Prepare`: it had promised a higher ballot (`last_rnd`) in this slot, and answers
    /// `Nack`. Multi-Paxos promises for all slots; its `slot` is the first one the `Prepare` covers.
    PrepareRefused {
        /// The acceptor.
        node: NodeId,
        /// The proposer it answers.
        to: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot asked for.
        ballot: Ballot,
        /// What it had promised (`last_rnd`).
        promised: Ballot,
    },
    /// Refused an `Accept` (or a fast round's `FastAccept`, at ballot 0): it had promised higher.
    AcceptRefused {
        /// The acceptor.
        node: NodeId,
        /// The proposer it answers.
        to: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot of the `Accept`.
        ballot: Ballot,
        /// What it had promised (`last_rnd`).
        promised: Ballot,
    },
    /// Promised `ballot` (`last_rnd := ballot`), reporting the value it accepted, if any.
    Promised {
        /// The acceptor.
        node: NodeId,
        /// The proposer.
        to: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot promised.
        ballot: Ballot,
        /// `(vrnd, v)`, if it accepted a value in this slot.
        accepted: Option<(Ballot, ValueId)>,
    },
    /// Multi-Paxos: promised `ballot` for every slot from `first_open` on, reporting `reports`
    /// accepted or decided values.
    PromisedSlots {
        /// The acceptor.
        node: NodeId,
        /// The candidate.
        to: NodeId,
        /// The ballot promised.
        ballot: Ballot,
        /// The first slot the promise reports on.
        first_open: Slot,
        /// How many slots it reports a value for.
        reports: u32,
    },
    /// Accepted `value` at `ballot`: `v, vrnd := value, ballot` (nothing higher was promised).
    Accepted {
        /// The acceptor.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot (`vrnd`); 0 in Fast Paxos's fast round.
        ballot: Ballot,
        /// The value (`v`).
        value: ValueId,
    },
    /// Fast Paxos: a `FastAccept` in a slot where this acceptor already voted: it restates its vote.
    AlreadyVoted {
        /// The acceptor.
        node: NodeId,
        /// The proposer.
        to: NodeId,
        /// The slot.
        slot: Slot,
        /// Its `vrnd`.
        vrnd: Ballot,
        /// Its `v`.
        value: ValueId,
    },
    /// Multi-Paxos: refused a `Prepare` because it hears a live leader (seed 000).
    LeaderAlive {
        /// The acceptor.
        node: NodeId,
        /// The candidate.
        to: NodeId,
        /// The candidate's ballot.
        ballot: Ballot,
        /// The leader it hears.
        leader: NodeId,
    },

    // ------------------------------------------------------------ Paxos proposer and learner
    /// Proposes the value with the highest `vrnd` among a majority of promises (P2c; seed 001: "X
    /// must choose y").
    ProposeHighest {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
        /// The value it proposes.
        value: ValueId,
        /// The highest `vrnd` reported (its node is the proposer of that round).
        vrnd: Ballot,
        /// Promises gathered.
        promises: u8,
    },
    /// Proposes its own value: no promise of the majority reported a value.
    ProposeOwn {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
        /// Its value.
        value: ValueId,
        /// Promises gathered.
        promises: u8,
    },
    /// A `Nack`: an acceptor promised a higher ballot. The proposer gives this round up and tries
    /// again with a higher one after `wait_ticks` (0: at once).
    Preempted {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
        /// The higher ballot the acceptor promised.
        promised: Ballot,
        /// The random back-off before the next try, in ticks.
        wait_ticks: u32,
    },
    /// No answer to its ballot within `ticks` ticks (lost messages, a crashed acceptor): the proposer
    /// abandons it and tries a higher ballot (a proposer may abandon a proposal at any time).
    NoAnswer {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot abandoned (0: Fast Paxos's fast round).
        ballot: Ballot,
        /// Ticks waited.
        ticks: u32,
    },
    /// A learner still misses `slot` after `ticks` ticks although later slots are decided: it runs
    /// Paxos there with a no-op, which phase 1 turns into any value that may have been chosen (the
    /// seed's "repair" of an interrupted run).
    RepairHole {
        /// The node.
        node: NodeId,
        /// The first slot it has not learned.
        slot: Slot,
        /// Ticks the hole has lasted.
        ticks: u32,
    },
    /// A value is chosen: a majority of acceptors accepted it in the same ballot.
    Chosen {
        /// The learner (or leader).
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: ValueId,
        /// Votes counted.
        votes: u8,
        /// The majority needed.
        quorum: u8,
    },

    // ------------------------------------------------------------ Multi-Paxos
    /// No leader heard for `ticks` ticks (its randomized election timeout): runs for leader.
    ElectionTimeout {
        /// The node.
        node: NodeId,
        /// Ticks without a leader.
        ticks: u32,
        /// The ballot it runs with.
        ballot: Ballot,
    },
    /// Won the election: a majority promised its ballot, so it leads and skips phase 1 from now on.
    Elected {
        /// The new leader.
        node: NodeId,
        /// Its ballot.
        ballot: Ballot,
        /// Promises gathered.
        promises: u8,
        /// The majority needed.
        quorum: u8,
    },
    /// A new leader re-proposes the value with the highest `vrnd` reported for a slot (P2c).
    Repropose {
        /// The leader.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
        /// The highest `vrnd` reported.
        vrnd: Ballot,
        /// The value.
        value: ValueId,
    },
    /// A new leader fills a slot nobody reported a value for with a no-op.
    FillHole {
        /// The leader.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
    },
    /// Steady state: a leader whose ballot a majority promised proposes straight in phase 2.
    SkipPhase1 {
        /// The leader.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its ballot.
        ballot: Ballot,
        /// The value.
        value: ValueId,
    },
    /// Saw a higher ballot than its own (a `Nack`, or a newer leader's message): steps down.
    SteppedDown {
        /// The former leader or candidate.
        node: NodeId,
        /// Its ballot.
        ours: Ballot,
        /// The higher ballot seen.
        seen: Ballot,
    },
    /// A candidate gives up: so many hear a live leader that it can no longer gather a majority.
    GaveUp {
        /// The candidate.
        node: NodeId,
        /// Its ballot.
        ballot: Ballot,
        /// The leader they hear.
        leader: NodeId,
        /// Nodes that said the leader is alive.
        refusals: u8,
    },
    /// A leader that heard fewer than a majority for a whole election timeout steps down.
    LostQuorum {
        /// The leader.
        node: NodeId,
        /// Its ballot.
        ballot: Ballot,
        /// Nodes heard (itself included).
        heard: u8,
        /// The majority needed.
        quorum: u8,
    },
    /// A follower lags below the leader's commit point: the leader sends it the decided values
    /// (or its checkpoint, if they were compacted away).
    CatchUp {
        /// The leader.
        node: NodeId,
        /// The follower.
        to: NodeId,
        /// The follower's first undecided slot.
        prefix: Slot,
        /// The leader's commit point.
        commit: Slot,
        /// Whether it sends a checkpoint instead of values.
        snapshot: bool,
    },

    // ------------------------------------------------------------ Fast Paxos
    /// A collision in the fast round: the votes are so split that no value can reach a fast quorum.
    Collision {
        /// The proposer watching the votes.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// The most votes any value has.
        best: u8,
        /// Acceptors not heard from yet.
        silent: u8,
        /// The fast quorum needed.
        fast_quorum: u8,
    },
    /// Recovery after a fast round keeps `value`: it has `votes ≥ q − (n − f)` votes among the
    /// promises, so it may have been chosen (Fast Paxos §3.3).
    RecoveryKeeps {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its classic ballot.
        ballot: Ballot,
        /// The value kept.
        value: ValueId,
        /// Its fast-round votes among the promises.
        votes: u8,
        /// `q`: promises gathered.
        promises: u8,
        /// `n`: acceptors.
        acceptors: u8,
        /// `f`: the fast quorum.
        fast_quorum: u8,
    },
    /// Recovery after a fast round with no value reaching `q − (n − f)` votes: free to propose its own.
    RecoveryFree {
        /// The proposer.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its classic ballot.
        ballot: Ballot,
        /// Its own value.
        value: ValueId,
        /// The most fast-round votes any value has among the promises.
        best: u8,
        /// `q`: promises gathered.
        promises: u8,
        /// `n`: acceptors.
        acceptors: u8,
        /// `f`: the fast quorum.
        fast_quorum: u8,
    },
    /// A value chosen in the fast round: a fast quorum of acceptors voted for it.
    ChosenFast {
        /// The learner.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// The value.
        value: ValueId,
        /// Votes counted.
        votes: u8,
        /// The fast quorum needed.
        fast_quorum: u8,
    },

    // ------------------------------------------------------------ Raft
    /// Vote denied: the candidate's term is older than this node's (§5.1).
    VoteDeniedStaleTerm {
        /// The voter.
        node: NodeId,
        /// The candidate.
        candidate: NodeId,
        /// The candidate's term.
        term: Term,
        /// The voter's term.
        current: Term,
    },
    /// Vote denied: this node already voted for someone else in this term (§5.2).
    VoteDeniedAlreadyVoted {
        /// The voter.
        node: NodeId,
        /// The candidate.
        candidate: NodeId,
        /// The term.
        term: Term,
        /// Whom it voted for.
        voted_for: NodeId,
    },
    /// Vote denied: the candidate's log is less up to date than this node's: compare the last
    /// entries' `(term, index)` (§5.4.1).
    VoteDeniedLogOlder {
        /// The voter.
        node: NodeId,
        /// The candidate.
        candidate: NodeId,
        /// The term.
        term: Term,
        /// The candidate's last entry `(term, index)`.
        theirs: (Term, Slot),
        /// The voter's last entry `(term, index)`.
        ours: (Term, Slot),
    },
    /// Vote granted: first in this term, and the candidate's log is at least as up to date (§5.2, §5.4.1).
    VoteGranted {
        /// The voter.
        node: NodeId,
        /// The candidate.
        candidate: NodeId,
        /// The term.
        term: Term,
    },
    /// Saw a higher term: adopts it, and a leader or candidate steps down to follower (§5.1).
    HigherTerm {
        /// The node.
        node: NodeId,
        /// Its term.
        term: Term,
        /// The higher term seen.
        seen: Term,
        /// Whether it was leader or candidate (and so steps down).
        stepped_down: bool,
    },
    /// AppendEntries rejected: the leader's term is stale (§5.1).
    AppendStaleTerm {
        /// The follower.
        node: NodeId,
        /// The sender.
        leader: NodeId,
        /// The sender's term.
        term: Term,
        /// The follower's term.
        current: Term,
    },
    /// AppendEntries rejected: the follower's log lacks an entry at `prev_index` with `prev_term`
    /// (the consistency check, §5.3). `ours` is the term it holds there (`None`: its log is shorter).
    AppendMismatch {
        /// The follower.
        node: NodeId,
        /// The leader.
        leader: NodeId,
        /// `prev_index`.
        prev_index: Slot,
        /// `prev_term`.
        prev_term: Term,
        /// The term of its own entry at `prev_index`, if it has one.
        ours: Option<Term>,
    },
    /// The leader commits up to `index`: a majority stores it and it is of the current term (§5.4.2).
    Committed {
        /// The leader.
        node: NodeId,
        /// The index committed (with all before it).
        index: Slot,
        /// Its term (the current one).
        term: Term,
        /// Nodes storing it.
        replicas: u8,
        /// The majority needed.
        quorum: u8,
    },
    /// The leader does not commit `index` although a majority stores it: the entry is of an older
    /// term, and counting replicas of old entries is unsafe (§5.4.2, Figure 8).
    OldTermNotCommitted {
        /// The leader.
        node: NodeId,
        /// The index a majority stores.
        index: Slot,
        /// That entry's term.
        entry_term: Term,
        /// The leader's term.
        term: Term,
    },
    /// No AppendEntries from a leader for `ticks` ticks: becomes candidate for `term` (§5.2).
    RaftTimeout {
        /// The node.
        node: NodeId,
        /// Ticks without a leader.
        ticks: u32,
        /// The new term.
        term: Term,
    },
    /// Votes from a majority: becomes leader of `term` (§5.2).
    RaftElected {
        /// The new leader.
        node: NodeId,
        /// Its term.
        term: Term,
        /// Votes gathered (its own included).
        votes: u8,
        /// The majority needed.
        quorum: u8,
    },
}

/// Where a rule is stated: a citation, not prose.
pub type Source = &'static str;

impl Rule {
    /// [`Rule::Chosen`]: `node` saw `value` chosen in `slot` at `ballot`, with `votes` of the
    /// `quorum` needed (Basic and Multi-Paxos's learners, and Fast Paxos's in a classic round).
    pub(crate) fn chosen(
        node: NodeId,
        (slot, ballot): (Slot, Ballot),
        value: &Value,
        votes: usize,
        quorum: usize,
    ) -> Rule {
        Rule::Chosen { node, slot, ballot, value: ValueId::of(value), votes: count(votes), quorum: count(quorum) }
    }

    /// The node that applied the rule.
    pub fn node(&self) -> NodeId {
        use Rule::*;
        match *self {
            PrepareRefused { node, .. }
            | AcceptRefused { node, .. }
            | Promised { node, .. }
            | PromisedSlots { node, .. }
            | Accepted { node, .. }
            | AlreadyVoted { node, .. }
            | LeaderAlive { node, .. }
            | ProposeHighest { node, .. }
            | ProposeOwn { node, .. }
            | Preempted { node, .. }
            | NoAnswer { node, .. }
            | RepairHole { node, .. }
            | Chosen { node, .. }
            | ElectionTimeout { node, .. }
            | Elected { node, .. }
            | Repropose { node, .. }
            | FillHole { node, .. }
            | SkipPhase1 { node, .. }
            | SteppedDown { node, .. }
            | GaveUp { node, .. }
            | LostQuorum { node, .. }
            | CatchUp { node, .. }
            | Collision { node, .. }
            | RecoveryKeeps { node, .. }
            | RecoveryFree { node, .. }
            | ChosenFast { node, .. }
            | VoteDeniedStaleTerm { node, .. }
            | VoteDeniedAlreadyVoted { node, .. }
            | VoteDeniedLogOlder { node, .. }
            | VoteGranted { node, .. }
            | HigherTerm { node, .. }
            | AppendStaleTerm { node, .. }
            | AppendMismatch { node, .. }
            | Committed { node, .. }
            | OldTermNotCommitted { node, .. }
            | RaftTimeout { node, .. }
            | RaftElected { node, .. } => node,
        }
    }

    /// The node a rule answers, when the rule decides the message sent to it right after (a
    /// `Nack`, a `Promise`, a `Vote`, a failed `AppendOk`, a `Catchup`).
    pub fn answered(&self) -> Option<NodeId> {
        use Rule::*;
        match *self {
            PrepareRefused { to, .. }
            | AcceptRefused { to, .. }
            | Promised { to, .. }
            | PromisedSlots { to, .. }
            | AlreadyVoted { to, .. }
            | LeaderAlive { to, .. }
            | CatchUp { to, .. } => Some(to),
            VoteDeniedStaleTerm { candidate, .. }
            | VoteDeniedAlreadyVoted { candidate, .. }
            | VoteDeniedLogOlder { candidate, .. }
            | VoteGranted { candidate, .. } => Some(candidate),
            AppendStaleTerm { leader, .. } | AppendMismatch { leader, .. } => Some(leader),
            _ => None,
        }
    }

    /// Where the rule is stated: a seed note (`/work/shared/seeds`, as `seed 001`) or a paper's
    /// section ("Paxos Made Simple" P1a/P2c, Lamport's "Fast Paxos", the Raft paper).
    pub fn source(&self) -> Source {
        use Rule::*;
        match self {
            PrepareRefused { .. } | AcceptRefused { .. } | Promised { .. } | PromisedSlots { .. } => {
                "Paxos Made Simple P1a; seed 001"
            }
            Accepted { .. } => "Paxos Made Simple P1a; seed 001",
            AlreadyVoted { .. } => "Fast Paxos §3.1",
            LeaderAlive { .. } => "seed 000",
            ProposeHighest { .. } | Repropose { .. } => "Paxos Made Simple P2c; seed 001",
            ProposeOwn { .. } | FillHole { .. } => "Paxos Made Simple P2c",
            Preempted { .. } => "seed 001",
            NoAnswer { .. } => "Paxos Made Simple §2.2",
            RepairHole { .. } => "seed 001",
            Chosen { .. } => "seed 001; seed 002",
            ElectionTimeout { .. } | GaveUp { .. } => "seed 000",
            Elected { .. } | SkipPhase1 { .. } => "Paxos Made Simple §3; seed 001",
            SteppedDown { .. } => "Paxos Made Simple §3",
            LostQuorum { .. } => "Raft thesis §6.2 (check quorum)",
            CatchUp { .. } => "Paxos Made Simple §3",
            Collision { .. } => "Fast Paxos §3.3; seed 001",
            RecoveryKeeps { .. } | RecoveryFree { .. } => "Fast Paxos §3.3",
            ChosenFast { .. } => "Fast Paxos §3.2; seed 001",
            VoteDeniedStaleTerm { .. } | HigherTerm { .. } | AppendStaleTerm { .. } => "Raft §5.1",
            VoteDeniedAlreadyVoted { .. } | RaftTimeout { .. } | RaftElected { .. } => "Raft §5.2; seed 004",
            VoteDeniedLogOlder { .. } | VoteGranted { .. } => "Raft §5.4.1",
            AppendMismatch { .. } => "Raft §5.3",
            Committed { .. } | OldTermNotCommitted { .. } => "Raft §5.4.2",
        }
    }

    /// The catalogue key of the rule's words (`rule.<name>` in `lang/<code>.json`).
    pub fn key(&self) -> &'static str {
        use Rule::*;
        match self {
            PrepareRefused { .. } => "rule.prepare_refused",
            AcceptRefused { .. } => "rule.accept_refused",
            Promised { accepted: None, .. } => "rule.promised",
            Promised { accepted: Some(_), .. } => "rule.promised_reporting",
            PromisedSlots { .. } => "rule.promised_slots",
            Accepted { .. } => "rule.accepted",
            AlreadyVoted { .. } => "rule.already_voted",
            LeaderAlive { .. } => "rule.leader_alive",
            ProposeHighest { .. } => "rule.propose_highest",
            ProposeOwn { .. } => "rule.propose_own",
            Preempted { wait_ticks: 0, .. } => "rule.preempted_retry",
            Preempted { .. } => "rule.preempted_backoff",
            NoAnswer { .. } => "rule.no_answer",
            RepairHole { .. } => "rule.repair_hole",
            Chosen { .. } => "rule.chosen",
            ElectionTimeout { .. } => "rule.election_timeout",
            Elected { .. } => "rule.elected",
            Repropose { .. } => "rule.repropose",
            FillHole { .. } => "rule.fill_hole",
            SkipPhase1 { .. } => "rule.skip_phase1",
            SteppedDown { .. } => "rule.stepped_down",
            GaveUp { .. } => "rule.gave_up",
            LostQuorum { .. } => "rule.lost_quorum",
            CatchUp { snapshot: false, .. } => "rule.catch_up",
            CatchUp { snapshot: true, .. } => "rule.catch_up_snapshot",
            Collision { .. } => "rule.collision",
            RecoveryKeeps { .. } => "rule.recovery_keeps",
            RecoveryFree { .. } => "rule.recovery_free",
            ChosenFast { .. } => "rule.chosen_fast",
            VoteDeniedStaleTerm { .. } => "rule.vote_denied_stale_term",
            VoteDeniedAlreadyVoted { .. } => "rule.vote_denied_already_voted",
            VoteDeniedLogOlder { .. } => "rule.vote_denied_log_older",
            VoteGranted { .. } => "rule.vote_granted",
            HigherTerm { stepped_down: true, .. } => "rule.higher_term_step_down",
            HigherTerm { stepped_down: false, .. } => "rule.higher_term",
            AppendStaleTerm { .. } => "rule.append_stale_term",
            AppendMismatch { ours: Some(_), .. } => "rule.append_mismatch",
            AppendMismatch { ours: None, .. } => "rule.append_gap",
            Committed { .. } => "rule.committed",
            OldTermNotCommitted { .. } => "rule.old_term_not_committed",
            RaftTimeout { .. } => "rule.raft_timeout",
            RaftElected { .. } => "rule.raft_elected",
        }
    }
}

/// Pushes the rule to `out` if `on` (a node asked to explain itself; see [`Protocol::set_explain`]).
#[inline]
pub(crate) fn explain<M, W>(on: bool, out: &mut alloc::vec::Vec<Output<M, W>>, rule: impl FnOnce() -> Rule) {
    // A closure, so that a node not explaining itself does not even build the rule.
    if on {
        out.push(Output::Explain(rule()));
    }
}

/// A count as a rule carries it (clusters have at most [`crate::MAX_NODES`] nodes).
pub(crate) fn count(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}
