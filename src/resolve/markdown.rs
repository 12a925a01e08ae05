//! Markdown → the block model of `model::markdown`: clause text is parsed
//! once with pulldown-cmark into [`Block`]s and [`Inline`]s holding plain
//! strings. Raw HTML in Markdown is kept as literal text, and nesting is
//! capped at [`MAX_NESTING`].

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::markdown::{Block, Inline, MAX_NESTING};

/// Parses Markdown into blocks.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, Options::empty()) {
        builder.event(event);
    }
    builder.finish()
}

/// Open containers while parsing.
#[derive(Debug)]
enum Frame {
    Blocks(Vec<Block>),
    Para(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>, Vec<Inline>),
    Quote(Vec<Block>),
    Span(SpanKind, Vec<Inline>),
    /// This many lists, quotes, emphases or links nested too deeply to open:
    /// what they hold joins the frame below.
    Skip(usize),
}

impl Frame {
    /// Whether the frame adds a level to the block model.
    fn nests(&self) -> bool {
        matches!(
            self,
            Frame::List { .. }
                | Frame::Quote(_)
                | Frame::Span(SpanKind::Strong | SpanKind::Emph | SpanKind::Link(_), _)
        )
    }
}

#[derive(Debug)]
enum SpanKind {
    Strong,
    Emph,
    Link(String),
    Plain,
}

#[derive(Debug)]
struct Builder {
    stack: Vec<Frame>,
    /// How many open frames nest (see [`Frame::nests`]).
    depth: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            stack: vec![Frame::Blocks(Vec::new())],
            depth: 0,
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => self.text(&text),
            Event::Code(code) => self.inline(Inline::Code {
                v: code.into_string(),
            }),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::Break),
            Event::Rule => {}
            other => self.text(&literal_of(&other)),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let nesting = matches!(
            tag,
            Tag::List(_) | Tag::BlockQuote(_) | Tag::Strong | Tag::Emphasis | Tag::Link { .. }
        );
        if nesting && self.depth >= MAX_NESTING {
            match self.stack.last_mut() {
                Some(Frame::Skip(n)) => *n += 1,
                _ => self.stack.push(Frame::Skip(1)),
            }
            return;
        }
        let frame = match tag {
            Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock => {
                Frame::Para(Vec::new())
            }
            Tag::List(start) => Frame::List {
                ordered: start.is_some(),
                items: Vec::new(),
            },
            // An item of a list too deep to open reads as a paragraph.
            Tag::Item if !matches!(self.stack.last(), Some(Frame::List { .. })) => {
                Frame::Para(Vec::new())
            }
            Tag::Item => Frame::Item(Vec::new(), Vec::new()),
            Tag::BlockQuote(_) => Frame::Quote(Vec::new()),
            Tag::Strong => Frame::Span(SpanKind::Strong, Vec::new()),
            Tag::Emphasis => Frame::Span(SpanKind::Emph, Vec::new()),
            Tag::Link { dest_url, .. } if is_safe_url(&dest_url) => {
                Frame::Span(SpanKind::Link(dest_url.into_string()), Vec::new())
            }
            _ => Frame::Span(SpanKind::Plain, Vec::new()),
        };
        if frame.nests() {
            self.depth += 1;
        }
        self.stack.push(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(tag, TagEnd::Heading(_)) {
            // Headings inside a clause read as a bold paragraph.
            if let Some(Frame::Para(content)) = self.stack.pop() {
                self.block(Block::Para {
                    c: vec![Inline::Strong { c: content }],
                });
            }
            return;
        }
        if let Some(Frame::Skip(n)) = self.stack.last_mut() {
            if *n > 1 {
                *n -= 1;
                return;
            }
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if frame.nests() {
            self.depth -= 1;
        }
        match frame {
            Frame::Para(content) => {
                let content = trim_inlines(content);
                if !content.is_empty() {
                    self.block(Block::Para { c: content });
                }
            }
            Frame::List { ordered, items } => self.block(Block::List { ordered, items }),
            Frame::Item(mut blocks, loose) => {
                let loose = trim_inlines(loose);
                if !loose.is_empty() {
                    blocks.insert(0, Block::Para { c: loose });
                }
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Frame::Quote(blocks) => self.block(Block::Quote { c: blocks }),
            Frame::Span(kind, content) => {
                let inline = match kind {
                    SpanKind::Strong => Inline::Strong { c: content },
                    SpanKind::Emph => Inline::Emph { c: content },
                    SpanKind::Link(url) => Inline::Link { url, c: content },
                    SpanKind::Plain => {
                        for inline in content {
                            self.inline(inline);
                        }
                        return;
                    }
                };
                self.inline(inline);
            }
            Frame::Blocks(blocks) => self.stack.push(Frame::Blocks(blocks)),
            Frame::Skip(_) => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Inline::Text { v }) = self.inlines_mut().and_then(|i| i.last_mut()) {
            v.push_str(text);
            return;
        }
        self.inline(Inline::Text {
            v: text.to_string(),
        });
    }

    fn inline(&mut self, inline: Inline) {
        if let Some(inlines) = self.inlines_mut() {
            push_inline(inlines, inline);
            return;
        }
        self.block(Block::Para { c: vec![inline] });
    }

    /// The innermost open frame, looking through skipped containers.
    fn top(&mut self) -> Option<&mut Frame> {
        self.stack
            .iter_mut()
            .rev()
            .find(|f| !matches!(f, Frame::Skip(_)))
    }

    fn inlines_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self.top()? {
            Frame::Para(c) | Frame::Span(_, c) | Frame::Item(_, c) => Some(c),
            _ => None,
        }
    }

    fn block(&mut self, block: Block) {
        match self.top() {
            Some(Frame::Blocks(blocks)) | Some(Frame::Quote(blocks)) => blocks.push(block),
            Some(Frame::Item(blocks, loose)) => {
                let loose = trim_inlines(std::mem::take(loose));
                if !loose.is_empty() {
                    blocks.push(Block::Para { c: loose });
                }
                blocks.push(block);
            }
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            // Reached only past MAX_NESTING, where blocks run together: keep
            // them apart.
            Some(Frame::Para(c)) | Some(Frame::Span(_, c)) => {
                if !c.is_empty() {
                    push_inline(c, Inline::Text { v: " ".into() });
                }
                for inline in flatten(block) {
                    push_inline(c, inline);
                }
            }
            Some(Frame::Skip(_)) => {}
            None => self.stack.push(Frame::Blocks(vec![block])),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            let frame = self.stack.pop();
            if let Some(Frame::Para(c)) = frame {
                self.block(Block::Para { c });
            }
        }
        match self.stack.pop() {
            Some(Frame::Blocks(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

/// Whether a link target is safe to follow from a document: web, email and
/// phone links, or a relative link. Anything else (`javascript:`, `file:`,
/// `data:` …) keeps only its text.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

fn literal_of(event: &Event<'_>) -> String {
    match event {
        Event::FootnoteReference(name) => format!("[^{name}]"),
        Event::TaskListMarker(done) => if *done { "[x] " } else { "[ ] " }.into(),
        Event::InlineMath(m) => format!("${m}$"),
        Event::DisplayMath(m) => format!("$${m}$$"),
        _ => String::new(),
    }
}

/// Appends an inline, joining adjacent text.
fn push_inline(inlines: &mut Vec<Inline>, inline: Inline) {
    match (inlines.last_mut(), inline) {
        (Some(Inline::Text { v }), Inline::Text { v: more }) => v.push_str(&more),
        (_, inline) => inlines.push(inline),
    }
}

fn flatten(block: Block) -> Vec<Inline> {
    match block {
        Block::Para { c } => c,
        Block::List { items, .. } => items.into_iter().flatten().flat_map(flatten).collect(),
        Block::Quote { c } => c.into_iter().flat_map(flatten).collect(),
    }
}

/// Drops white space at the edges of a run of inlines.
fn trim_inlines(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { v }) = inlines.first_mut() {
        *v = v.trim_start().to_string();
    }
    if let Some(Inline::Text { v }) = inlines.last_mut() {
        *v = v.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { v } if v.is_empty()));
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::markdown::{depth, escape, plain_text};

    fn text(v: &str) -> Inline {
        Inline::Text { v: v.into() }
    }

    #[test]
    fn paragraphs_and_emphasis() {
        let blocks = parse("I will **never** share\nmy *password*.\n\nSecond.");
        assert_eq!(
            blocks,
            vec![
                Block::Para {
                    c: vec![
                        text("I will "),
                        Inline::Strong {
                            c: vec![text("never")]
                        },
                        text(" share my "),
                        Inline::Emph {
                            c: vec![text("password")]
                        },
                        text("."),
                    ]
                },
                Block::Para {
                    c: vec![text("Second.")]
                },
            ]
        );
    }

    #[test]
    fn nested_lists() {
        let blocks = parse("I will:\n\n- lock my screen\n- log off\n  - at night\n");
        assert_eq!(blocks.len(), 2);
        let Block::List { ordered, items } = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert!(!ordered);
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            vec![Block::Para {
                c: vec![text("lock my screen")]
            }]
        );
        assert!(matches!(items[1][1], Block::List { .. }), "{:?}", items[1]);
    }

    #[test]
    fn raw_html_stays_literal_text() {
        let blocks = parse("Hi <script>alert(1)</script> there");
        assert_eq!(plain_text(&blocks), "Hi <script>alert(1)</script> there");
        let blocks = parse("<div onclick=\"x\">\nblock\n</div>\n");
        assert!(plain_text(&blocks).contains("<div onclick=\"x\">"));
    }

    #[test]
    fn escaped_values_read_back_literally() {
        let hostile = "*Bold* #read(\"/etc/passwd\") $x$ <b>[a](b)</b> 1. _u_ \\";
        let blocks = parse(&format!("Name: {}", escape(hostile)));
        assert_eq!(plain_text(&blocks), format!("Name: {hostile}"));
    }

    #[test]
    fn deep_nesting_keeps_its_text_but_not_its_depth() {
        // Found by the `markdown` fuzz target: 200 KB of `- ` in a clause
        // made `policyc check` abort with a stack overflow, and 16 nested
        // quotes or 40 nested lists made typst give up with an error that
        // blamed the built-in layout.
        let n = 100_000;
        for (open, close) in [
            ("> ", ""),
            ("- ", ""),
            ("1. ", ""),
            ("*a ", " a*"),
            ("**a ", " a**"),
        ] {
            let text = format!("{}deep{}", open.repeat(n), close.repeat(n));
            let blocks = parse(&text);
            assert!(
                depth(&blocks) <= MAX_NESTING,
                "{open:?}: {}",
                depth(&blocks)
            );
            assert!(plain_text(&blocks).contains("deep"), "{open:?}");
        }
    }

    #[test]
    fn nesting_up_to_the_limit_is_kept() {
        let quotes = |n: usize| parse(&format!("{}x", "> ".repeat(n)));
        assert_eq!(depth(&quotes(MAX_NESTING)), MAX_NESTING);
        assert_eq!(quotes(MAX_NESTING + 5), quotes(MAX_NESTING));
        let emph = format!(
            "{}x{}",
            "*a ".repeat(MAX_NESTING),
            " a*".repeat(MAX_NESTING)
        );
        assert_eq!(depth(&parse(&emph)), MAX_NESTING);
    }

    #[test]
    fn items_of_lists_too_deep_stay_apart() {
        let mut text = String::new();
        for i in 0..MAX_NESTING + 4 {
            text.push_str(&format!(
                "{}- item{i}\n\n{}  more{i}\n",
                "  ".repeat(i),
                "  ".repeat(i)
            ));
        }
        let blocks = parse(&text);
        assert_eq!(depth(&blocks), MAX_NESTING);
        let plain = plain_text(&blocks);
        let words: Vec<&str> = plain.split_whitespace().collect();
        for i in 0..MAX_NESTING + 4 {
            assert!(
                words.contains(&format!("item{i}").as_str()),
                "item{i} in {plain:?}"
            );
            assert!(
                words.contains(&format!("more{i}").as_str()),
                "more{i} in {plain:?}"
            );
        }
    }

    #[test]
    fn headings_become_bold_paragraphs() {
        let blocks = parse("# Title\nText");
        assert_eq!(
            blocks[0],
            Block::Para {
                c: vec![Inline::Strong {
                    c: vec![text("Title")]
                }]
            }
        );
    }

    #[test]
    fn unsafe_links_keep_only_their_text() {
        let blocks = parse("[click](javascript:alert(1)) [f](file:///etc/passwd)");
        assert_eq!(
            blocks,
            vec![Block::Para {
                c: vec![text("click f")]
            }]
        );
    }

    #[test]
    fn links_keep_their_target() {
        let blocks = parse("See [our page](https://school.example/p).");
        let Block::Para { c } = &blocks[0] else {
            panic!()
        };
        assert_eq!(
            c[1],
            Inline::Link {
                url: "https://school.example/p".into(),
                c: vec![text("our page")]
            }
        );
    }
}
