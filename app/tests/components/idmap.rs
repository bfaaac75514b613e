//! Which `ElementId` the element with a given `id` attribute has, followed through the mutations the
//! VirtualDom writes (static ids come from the templates, dynamic ones from `SetAttribute`).

use std::collections::HashMap;

use dioxus::dioxus_core::{
    AttributeValue, ElementId, Template, TemplateAttribute, TemplateNode, WriteMutations,
};

/// Records which element id attribute belongs to which `ElementId`, from the mutations.
#[derive(Default)]
pub struct IdMap {
    pub ids: HashMap<String, ElementId>,
    stack: Vec<Option<&'static TemplateNode>>,
}

fn static_id(node: &TemplateNode) -> Option<&'static str> {
    let TemplateNode::Element { attrs, .. } = node else {
        return None;
    };
    attrs.iter().find_map(|a| match a {
        TemplateAttribute::Static {
            name: "id", value, ..
        } => Some(*value),
        _ => None,
    })
}

impl IdMap {
    fn pop(&mut self, m: usize) {
        let n = self.stack.len().saturating_sub(m);
        self.stack.truncate(n);
    }
}

impl WriteMutations for IdMap {
    fn append_children(&mut self, _: ElementId, m: usize) {
        self.pop(m);
    }
    fn assign_node_id(&mut self, path: &'static [u8], id: ElementId) {
        let Some(Some(mut node)) = self.stack.last().copied() else {
            return;
        };
        for i in path {
            let TemplateNode::Element { children, .. } = node else {
                return;
            };
            node = &children[*i as usize];
        }
        if let Some(name) = static_id(node) {
            self.ids.insert(name.to_owned(), id);
        }
    }
    fn create_placeholder(&mut self, _: ElementId) {
        self.stack.push(None);
    }
    fn create_text_node(&mut self, _: &str, _: ElementId) {
        self.stack.push(None);
    }
    fn load_template(&mut self, template: Template, index: usize, id: ElementId) {
        let root = &template.roots[index];
        if let Some(name) = static_id(root) {
            self.ids.insert(name.to_owned(), id);
        }
        self.stack.push(Some(root));
    }
    fn replace_node_with(&mut self, _: ElementId, m: usize) {
        self.pop(m);
    }
    fn replace_placeholder_with_nodes(&mut self, _: &'static [u8], m: usize) {
        self.pop(m);
    }
    fn insert_nodes_after(&mut self, _: ElementId, m: usize) {
        self.pop(m);
    }
    fn insert_nodes_before(&mut self, _: ElementId, m: usize) {
        self.pop(m);
    }
    fn set_attribute(
        &mut self,
        name: &'static str,
        _: Option<&'static str>,
        value: &AttributeValue,
        id: ElementId,
    ) {
        if let ("id", AttributeValue::Text(t)) = (name, value) {
            self.ids.insert(t.clone(), id);
        }
    }
    fn set_node_text(&mut self, _: &str, _: ElementId) {}
    fn create_event_listener(&mut self, _: &'static str, _: ElementId) {}
    fn remove_event_listener(&mut self, _: &'static str, _: ElementId) {}
    fn remove_node(&mut self, _: ElementId) {}
    fn push_root(&mut self, _: ElementId) {
        self.stack.push(None);
    }
}
