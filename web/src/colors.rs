//! The colours (and role glyphs) both views draw with: message kinds, roles, islands, and the timeline's palette for
//! a light or a dark page.

use paxos_core::{MsgKind, Role};

/// Colours of the diagram for a light or dark page.
pub struct Palette {
    /// The canvas.
    pub background: &'static str,
    /// Labels.
    pub text: &'static str,
    /// The time grid.
    pub grid: &'static str,
    /// The lanes.
    pub lane: &'static str,
    /// The cursor.
    pub cursor: &'static str,
    /// A node down.
    pub down: &'static str,
}

impl Palette {
    /// The palette for the page's colour scheme.
    pub fn for_scheme(dark: bool) -> Palette {
        if dark {
            Palette {
                background: "#16181d",
                text: "#c9ced8",
                grid: "#2a2e37",
                lane: "#3a3f4b",
                cursor: "#f5b942",
                down: "rgba(140,140,140,0.35)",
            }
        } else {
            Palette {
                background: "#ffffff",
                text: "#3b4252",
                grid: "#eceff4",
                lane: "#d8dee9",
                cursor: "#d97706",
                down: "rgba(120,120,120,0.25)",
            }
        }
    }
}

/// The colour of a message kind (the same in both views).
pub fn kind_color(kind: MsgKind) -> &'static str {
    match kind {
        MsgKind::Prepare | MsgKind::RequestVote => "#8b5cf6",
        MsgKind::Promise | MsgKind::Vote => "#c084fc",
        MsgKind::Accept | MsgKind::AppendEntries | MsgKind::Replicate | MsgKind::FastAccept => "#2563eb",
        MsgKind::Accepted | MsgKind::AppendOk | MsgKind::Ack => "#0ea5e9",
        MsgKind::Nack => "#dc2626",
        MsgKind::LeaderAlive => "#f59e0b",
        MsgKind::Heartbeat => "#9ca3af",
        MsgKind::HeartbeatOk => "#cbd5e1",
        MsgKind::Catchup | MsgKind::Votes | MsgKind::Snapshot => "#14b8a6",
        MsgKind::Forward => "#84cc16",
        MsgKind::Request | MsgKind::Reply => "#64748b",
        MsgKind::Read | MsgKind::ReadReply => "#10b981",
        MsgKind::Write | MsgKind::WriteAck => "#f97316",
    }
}

/// The colour of a role (the same in both views).
pub fn role_color(role: Role) -> &'static str {
    match role {
        Role::Leader | Role::Primary => "#e0a100",
        Role::Candidate | Role::Proposer => "#8b5cf6",
        Role::Follower | Role::Acceptor | Role::Backup | Role::Replica => "#3b82f6",
        Role::Learner => "#14b8a6",
    }
}

/// Island tints, by island number.
pub const ISLAND_TINTS: [&str; 6] = [
    "rgba(59,130,246,0.10)",
    "rgba(234,88,12,0.16)",
    "rgba(22,163,74,0.16)",
    "rgba(219,39,119,0.16)",
    "rgba(202,138,4,0.18)",
    "rgba(100,116,139,0.18)",
];

/// The glyph of a role, for legends and screen readers.
pub fn role_glyph(role: Role) -> &'static str {
    match role {
        Role::Leader | Role::Primary => "★",
        Role::Candidate | Role::Proposer => "◆",
        Role::Follower | Role::Acceptor | Role::Backup | Role::Replica => "●",
        Role::Learner => "▲",
    }
}
