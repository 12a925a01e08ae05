//! How full a laid-out page is, so that policyc tries a tighter layout only
//! where it can help: a short form that spills a little onto a second sheet.

use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_layout::PagedDocument;

/// How far down its second page a two-page document may reach for the
/// compact layout to be tried: it makes text about a tenth smaller and
/// lists tighter, which in the example brings a second page filled to a
/// third back onto the first, and never one filled to a half.
pub const MOST_SPILL: f64 = 0.4;

/// Height at the top of a page that holds the running header, and at the
/// bottom the footer: text there is not the body's. Both are a little
/// inside the layout's margins (2.9 cm top, at least 2.0 cm bottom).
const HEADER: f64 = 2.6;
const FOOTER: f64 = 1.9;

/// The fraction of the last page's height, between header and footer, down
/// to which the body's text reaches; 0 for a page with no body text.
pub fn last_page_fill(paged: &PagedDocument) -> f64 {
    let Some(page) = paged.pages().last() else {
        return 0.0;
    };
    let height = page.frame.height();
    let (top, bottom) = (Abs::cm(HEADER), height - Abs::cm(FOOTER));
    let mut lowest = top;
    visit(&page.frame, Point::zero(), &mut |y| {
        if y > top && y < bottom && y > lowest {
            lowest = y;
        }
    });
    ((lowest - top) / (bottom - top)).clamp(0.0, 1.0)
}

/// Calls `seen` with the baseline of every run of text in `frame`, placed
/// at `at` on the page.
fn visit(frame: &Frame, at: Point, seen: &mut impl FnMut(Abs)) {
    for (pos, item) in frame.items() {
        let here = at + *pos;
        match item {
            FrameItem::Group(group) => {
                let moved = Point::new(group.transform.tx, group.transform.ty);
                visit(&group.frame, here + moved, seen);
            }
            FrameItem::Text(_) => seen(here.y),
            _ => {}
        }
    }
}
