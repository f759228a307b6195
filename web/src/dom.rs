//! Building DOM without a framework, for the customer status page and for the status sections the
//! partner's customer page shows exactly as the customer sees them.
//!
//! The status page is its own bundle for customers' phones. Leptos's renderer and reactive system
//! (and the code each `view!` expands to) were about 40% of that bundle; the page is rendered once
//! per answer or language, so plain elements built here serve it at a fraction of the size.
//! Functions here are not generic over element types, so each call costs a call, not a copy.
//!
//! Safety of content: text is only ever added as text nodes or attribute values. Nothing is
//! parsed as HTML, so every name a user typed is shown as text.
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Document, Element, Event, Window};

/// The page's window (there is always one where this code runs: a browser page).
#[must_use]
pub fn window() -> Window {
    web_sys::window().expect_throw("a browser window")
}

/// The page's document.
#[must_use]
pub fn document() -> Document {
    window().document().expect_throw("a browser document")
}

/// An element being built; [`El::into_element`] hands it over.
#[derive(Debug, Clone)]
pub struct El(Element);

impl El {
    /// A new `<tag>` element.
    #[must_use]
    pub fn new(tag: &str) -> El {
        El(document()
            .create_element(tag)
            .expect_throw("a valid tag name"))
    }

    /// Sets attribute `name` to `value` (as text: it is never parsed as markup).
    #[must_use]
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets attribute `name` to `value` when there is one.
    #[must_use]
    pub fn attr_opt(self, name: &str, value: Option<&str>) -> El {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// The `class` attribute.
    #[must_use]
    pub fn class(self, value: &str) -> El {
        self.attr("class", value)
    }

    /// The `data-testid` attribute the browser journeys find elements by.
    #[must_use]
    pub fn testid(self, value: &str) -> El {
        self.attr("data-testid", value)
    }

    /// Appends `text` as a text node.
    #[must_use]
    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child element.
    #[must_use]
    pub fn child(self, child: El) -> El {
        let _ = self.0.append_with_node_1(&child.0);
        self
    }

    /// Appends a child element when there is one.
    #[must_use]
    pub fn child_opt(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends each of `children` in order.
    #[must_use]
    pub fn children(self, children: Vec<El>) -> El {
        for c in children {
            let _ = self.0.append_with_node_1(&c.0);
        }
        self
    }

    /// The element built.
    #[must_use]
    pub fn into_element(self) -> Element {
        self.0
    }

    /// The element being built, for reading or changing it in place.
    #[must_use]
    pub fn element(&self) -> &Element {
        &self.0
    }
}

/// `<tag class="class">text</tag>`: the most common shape on the status page.
#[must_use]
pub fn text_el(tag: &str, class: &str, text: &str) -> El {
    let el = El::new(tag);
    let el = if class.is_empty() {
        el
    } else {
        el.class(class)
    };
    el.text(text)
}

/// Replaces everything inside `parent` with `children`.
pub fn replace_children(parent: &Element, children: Vec<El>) {
    parent.replace_children_with_node_0();
    for c in children {
        let _ = parent.append_with_node_1(&c.0);
    }
}

/// The nearest element at or above the event's target that carries attribute `name`, with the
/// attribute's value: how one listener on a page's root serves every button below it.
#[must_use]
pub fn closest_with(event: &Event, name: &str) -> Option<(Element, String)> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let found = target.closest(&format!("[{name}]")).ok()??;
    let value = found.get_attribute(name)?;
    Some((found, value))
}
