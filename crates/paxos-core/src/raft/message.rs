//! Raft's messages (Figure 2's RPCs, each request and answer a message of its own): one named struct
//! per kind, handed whole to its handler, so a handler reads `m.prev_index` rather than taking every
//! field as an argument.

use alloc::vec::Vec;
use core::fmt;

use super::{Entry, Index, Term};
use crate::machine::Checkpoint;
use crate::types::{Ballot, Command, NodeId, NodeName, list};
use crate::{Label, MsgKind};

/// A candidate asks for a vote (§5.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestVote {
    /// The candidate's term.
    pub term: Term,
    /// The candidate (Figure 2's `candidateId`).
    pub candidate: NodeId,
    /// The index of its last log entry.
    pub last_index: Index,
    /// The term of its last log entry.
    pub last_term: Term,
}

/// The answer to [`RequestVote`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Vote {
    /// The voter's current term, for the candidate to update itself.
    pub term: Term,
    /// The candidate that asked (not in Figure 2: it names the vote in traces and the inspector).
    pub candidate: NodeId,
    /// Whether the voter voted for the candidate.
    pub granted: bool,
}

/// The leader's entries for a follower (none: a heartbeat) (§5.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppendEntries {
    /// The leader's term.
    pub term: Term,
    /// The leader (Figure 2's `leaderId`), so followers can redirect clients.
    pub leader: NodeId,
    /// The index of the entry just before `entries`.
    pub prev_index: Index,
    /// The term of that entry.
    pub prev_term: Term,
    /// Entries to store, from `prev_index + 1` on.
    pub entries: Vec<Entry>,
    /// The leader's commit index.
    pub commit: Index,
}

/// The answer to [`AppendEntries`] (and to [`Snapshot`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppendOk {
    /// The follower's current term, for the leader to update itself.
    pub term: Term,
    /// Whether the follower's log matched at `prev_index` and now holds the entries.
    pub success: bool,
    /// On success, the last index known to match the leader's log; on failure, an index up to
    /// which the follower's log may match (the leader retries after it).
    pub match_index: Index,
}

/// The leader's checkpoint, for a follower lagging behind the leader's compacted log
/// (InstallSnapshot, §7).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// The leader's term.
    pub term: Term,
    /// The leader.
    pub leader: NodeId,
    /// The store after entries `1..=checkpoint.applied`.
    pub checkpoint: Checkpoint,
    /// The term of entry `checkpoint.applied`.
    pub last_term: Term,
}

/// A Raft message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// A candidate asks for a vote.
    RequestVote(RequestVote),
    /// The answer to `RequestVote`.
    Vote(Vote),
    /// The leader's entries for a follower (none: a heartbeat).
    AppendEntries(AppendEntries),
    /// The answer to `AppendEntries` (and to `Snapshot`).
    AppendOk(AppendOk),
    /// The leader's checkpoint, for a follower lagging behind the leader's compacted log.
    Snapshot(Snapshot),
    /// A client request passed on to the leader.
    Forward(Command),
}

impl Message {
    /// The sender's term (0 for a forwarded request, which has none).
    pub fn term(&self) -> Term {
        match self {
            Message::RequestVote(m) => m.term,
            Message::Vote(m) => m.term,
            Message::AppendEntries(m) => m.term,
            Message::AppendOk(m) => m.term,
            Message::Snapshot(m) => m.term,
            Message::Forward(_) => 0,
        }
    }
}

impl crate::Message for Message {
    /// The ballot shown is the term with the candidate or leader the message names (node 0 for
    /// `AppendOk`, which names none) — Raft's terms become ballots only here, for the trace and the
    /// page; the slot is that of the first entry concerned (`prev_index` is the slot of entry
    /// `prev_index + 1`).
    fn label(&self) -> Label {
        let (kind, ballot, slot) = match self {
            Message::RequestVote(m) => (MsgKind::RequestVote, Ballot::new(m.term, m.candidate), m.last_index),
            Message::Vote(m) => (MsgKind::Vote, Ballot::new(m.term, m.candidate), 0),
            Message::AppendEntries(m) => (MsgKind::AppendEntries, Ballot::new(m.term, m.leader), m.prev_index),
            Message::AppendOk(m) => (MsgKind::AppendOk, Ballot::new(m.term, 0), m.match_index),
            Message::Snapshot(m) => (MsgKind::Snapshot, Ballot::new(m.term, m.leader), m.checkpoint.applied),
            Message::Forward(command) => (MsgKind::Forward, Ballot::ZERO, command.seq),
        };
        Label { kind, ballot, slot }
    }
}

/// The payload in words, for a person following the run (the kind is shown apart).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::RequestVote(m) => m.fmt(f),
            Message::Vote(m) => m.fmt(f),
            Message::AppendEntries(m) => m.fmt(f),
            Message::AppendOk(m) => m.fmt(f),
            Message::Snapshot(m) => m.fmt(f),
            Message::Forward(command) => write!(f, "{command}"),
        }
    }
}

/// `term 3, candidate n2, last entry 7 of term 2`.
impl fmt::Display for RequestVote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RequestVote { term, candidate, last_index, last_term } = self;
        write!(f, "term {term}, candidate {}, last entry {last_index} of term {last_term}", NodeName(*candidate))
    }
}

/// `term 3, candidate n2, granted`.
impl fmt::Display for Vote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let granted = if self.granted { "granted" } else { "refused" };
        write!(f, "term {}, candidate {}, {granted}", self.term, NodeName(self.candidate))
    }
}

/// `term 3, leader n1, after entry 4 of term 2, entries: 5 of term 3 noop, commit 4`.
impl fmt::Display for AppendEntries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let AppendEntries { term, leader, prev_index, prev_term, entries, commit } = self;
        write!(
            f,
            "term {term}, leader {}, after entry {prev_index} of term {prev_term}, entries: {}, commit {commit}",
            NodeName(*leader),
            list(entries.iter().zip(prev_index + 1..), |f, (e, i)| write!(f, "{i} of term {} {}", e.term, e.value))
        )
    }
}

/// `term 3, success, match index 6`.
impl fmt::Display for AppendOk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = if self.success { "success" } else { "failure" };
        write!(f, "term {}, {outcome}, match index {}", self.term, self.match_index)
    }
}

/// `term 3, leader n1, snapshot of 40 slots, 3 keys, last included term 2`.
impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Snapshot { term, leader, checkpoint, last_term } = self;
        write!(f, "term {term}, leader {}, {checkpoint}, last included term {last_term}", NodeName(*leader))
    }
}
