//! Print files: PDFs put one after another in a single file, with a blank
//! page wherever one is needed so that each part starts on an odd page
//! (the front of a sheet when printed on both sides).

use lopdf::{dictionary, Document, Object, ObjectId};

/// Pages that page attributes can be inherited from, copied down onto each
/// page before its old page tree is dropped.
const INHERITED: [&str; 4] = ["MediaBox", "CropBox", "Resources", "Rotate"];

/// A print file being put together.
pub struct PrintFile {
    doc: Document,
    pages: Vec<ObjectId>,
    pages_id: ObjectId,
    last_box: Option<Object>,
}

impl Default for PrintFile {
    fn default() -> Self {
        Self::new()
    }
}

impl PrintFile {
    /// An empty print file.
    pub fn new() -> Self {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        Self {
            doc,
            pages: Vec::new(),
            pages_id,
            last_box: None,
        }
    }

    /// The number of pages of `pdf`.
    pub fn pages_of(pdf: &[u8]) -> Result<usize, String> {
        let doc =
            Document::load_mem(pdf).map_err(|e| format!("cannot read a PDF to merge: {e}"))?;
        Ok(doc.get_pages().len())
    }

    /// Pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Appends every page of `pdf`, first adding a blank page if it would
    /// otherwise start on an even page. Returns the page it starts on
    /// (1-based).
    pub fn append_on_odd(&mut self, pdf: &[u8]) -> Result<usize, String> {
        if !self.pages.len().is_multiple_of(2) {
            self.blank_page();
        }
        let first = self.pages.len() + 1;
        self.append(pdf)?;
        Ok(first)
    }

    /// Appends every page of `pdf`.
    pub fn append(&mut self, pdf: &[u8]) -> Result<(), String> {
        let mut part =
            Document::load_mem(pdf).map_err(|e| format!("cannot read a PDF to merge: {e}"))?;
        part.renumber_objects_with(self.doc.max_id + 1);
        let order: Vec<ObjectId> = part.get_pages().into_values().collect();
        let mut pages = Vec::with_capacity(order.len());
        for id in &order {
            let mut page = part
                .get_dictionary(*id)
                .map_err(|e| format!("a page cannot be read: {e}"))?
                .clone();
            for key in INHERITED {
                if page.get(key.as_bytes()).is_err() {
                    if let Some(value) = inherited(&part, *id, key) {
                        page.set(key, value);
                    }
                }
            }
            page.set("Parent", self.pages_id);
            // Links to the part's outline and structure tree are dropped.
            page.remove(b"StructParents");
            if let Ok(media) = page.get(b"MediaBox") {
                self.last_box = Some(media.clone());
            }
            pages.push((*id, page));
        }
        self.doc.max_id = self.doc.max_id.max(part.max_id);
        for (id, object) in part.objects {
            let keep = match object.as_dict() {
                Ok(dict) => !matches!(
                    dict.get(b"Type").and_then(Object::as_name),
                    Ok(b"Catalog" | b"Pages")
                ),
                Err(_) => true,
            };
            if keep {
                self.doc.objects.insert(id, object);
            }
        }
        for (id, page) in pages {
            self.doc.objects.insert(id, Object::Dictionary(page));
            self.pages.push(id);
        }
        Ok(())
    }

    /// A blank page the size of the last one (A4 before any).
    pub fn blank_page(&mut self) {
        let media = self.last_box.clone().unwrap_or_else(|| {
            Object::Array(vec![0.into(), 0.into(), 595.28.into(), 841.89.into()])
        });
        let id = self.doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => media,
            "Resources" => dictionary! {},
        });
        self.pages.push(id);
    }

    /// The finished file, titled `title`, with objects nothing refers to
    /// any more (the parts' outlines and structure trees) left out.
    pub fn finish(mut self, title: &str) -> Result<Vec<u8>, String> {
        let kids: Vec<Object> = self.pages.iter().map(|id| Object::Reference(*id)).collect();
        let count = kids.len() as i64;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
            }),
        );
        let catalog = self.doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => self.pages_id,
        });
        let info = self.doc.add_object(dictionary! {
            "Title" => text_string(title),
            "Producer" => text_string(&format!("policyc {}", env!("CARGO_PKG_VERSION"))),
        });
        self.doc.trailer.set("Root", catalog);
        self.doc.trailer.set("Info", info);
        self.doc.prune_objects();
        let mut bytes = Vec::new();
        self.doc
            .save_to(&mut bytes)
            .map_err(|e| format!("cannot write the print file: {e}"))?;
        Ok(bytes)
    }
}

/// A PDF text string in UTF-16 with its byte-order mark, so any script
/// survives.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, lopdf::StringFormat::Hexadecimal)
}

/// A page attribute set on one of the page's ancestors.
fn inherited(doc: &Document, page: ObjectId, key: &str) -> Option<Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
        if let Ok(value) = node.get(key.as_bytes()) {
            return Some(value.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF of `pages` empty pages, made with lopdf.
    fn pdf(pages: usize) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let tree = doc.new_object_id();
        let kids: Vec<Object> = (0..pages)
            .map(|_| {
                let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => tree });
                Object::Reference(page)
            })
            .collect();
        doc.objects.insert(
            tree,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => pages as i64,
                "MediaBox" => vec![0.into(), 0.into(), 200.into(), 300.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn every_part_starts_on_an_odd_page_and_keeps_its_page_size() {
        let mut file = PrintFile::new();
        file.append(&pdf(1)).unwrap();
        assert_eq!(file.append_on_odd(&pdf(3)).unwrap(), 3);
        assert_eq!(file.append_on_odd(&pdf(2)).unwrap(), 7);
        assert_eq!(file.append_on_odd(&pdf(1)).unwrap(), 9);
        let bytes = file.finish("Year 4 Oak: 3 forms").unwrap();
        let merged = Document::load_mem(&bytes).unwrap();
        let pages: Vec<ObjectId> = merged.get_pages().into_values().collect();
        assert_eq!(pages.len(), 9);
        for id in pages {
            let page = merged.get_dictionary(id).unwrap();
            let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
            assert_eq!(media[3].as_float().unwrap(), 300.0, "inherited size kept");
        }
    }
}
