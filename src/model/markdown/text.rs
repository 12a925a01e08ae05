//! Reading the block model back as text: plain text for hashing, diffs and
//! reading levels; Markdown escaping for placeholder values; nesting depth.

use super::{Block, Inline};

/// The plain text of blocks, one paragraph per line: for hashing, diffs and
/// reading-level checks.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    for block in blocks {
        block_text(block, &mut lines);
    }
    lines.join("\n")
}

fn block_text(block: &Block, lines: &mut Vec<String>) {
    match block {
        Block::Para { c } => lines.push(inline_text(c)),
        Block::List { items, .. } => {
            for item in items {
                for block in item {
                    block_text(block, lines);
                }
            }
        }
        Block::Quote { c } => c.iter().for_each(|b| block_text(b, lines)),
    }
}

/// The plain text of inlines.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Strong { c } | Inline::Emph { c } | Inline::Link { c, .. } => {
                out.push_str(&inline_text(c))
            }
            Inline::Break => out.push(' '),
        }
    }
    out
}

/// Escapes text so that Markdown reads it back literally: used for every
/// value a placeholder inserts into clause text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// How deeply blocks and inlines nest: what every recursive walk over the
/// model goes through. Parsing keeps it within [`MAX_NESTING`] + 1.
pub fn depth(blocks: &[Block]) -> usize {
    fn inline_depth(c: &[Inline]) -> usize {
        c.iter()
            .map(|i| match i {
                Inline::Strong { c } | Inline::Emph { c } | Inline::Link { c, .. } => {
                    1 + inline_depth(c)
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    blocks
        .iter()
        .map(|b| match b {
            Block::Para { c } => inline_depth(c),
            Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
            Block::Quote { c } => 1 + depth(c),
        })
        .max()
        .unwrap_or(0)
}

/// Calls `f` on every inline of `blocks`, depth first, in reading order.
pub fn each_inline(blocks: &[Block], f: &mut impl FnMut(&Inline)) {
    fn inlines(items: &[Inline], f: &mut impl FnMut(&Inline)) {
        for inline in items {
            f(inline);
            match inline {
                Inline::Strong { c } | Inline::Emph { c } | Inline::Link { c, .. } => inlines(c, f),
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Para { c } => inlines(c, f),
            Block::List { items, .. } => items.iter().for_each(|item| each_inline(item, f)),
            Block::Quote { c } => each_inline(c, f),
        }
    }
}
