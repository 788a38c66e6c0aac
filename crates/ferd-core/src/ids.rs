//! The one rule for ids in ferd's data files and for slugs in the public site's addresses.

/// Lowercase ASCII letters, digits and hyphens, not empty, not starting or ending with a hyphen.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug of the public site (a page, an article): a kebab id of at most 60 characters.
pub fn is_slug(s: &str) -> bool {
    s.len() <= 60 && is_kebab(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids_and_slugs() {
        assert!(is_kebab("pcl-5"));
        assert!(is_kebab("a"));
        for bad in ["", "-a", "a-", "A", "a_b", "a b", "ø"] {
            assert!(!is_kebab(bad), "{bad:?}");
        }
        assert!(is_slug(&"a".repeat(60)));
        assert!(!is_slug(&"a".repeat(61)));
        assert!(!is_slug("-x-"));
    }
}
