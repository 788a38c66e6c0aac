// Embeds the public site's pages (`content/<lang>/<slug>.md` at the repository's root) and articles
// (`content/<lang>/articles/<slug>.md`) in the binary: writes a list of `include_str!`s, so a page added or changed
// rebuilds the crate.
use std::path::{Path, PathBuf};

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let content = manifest.join("../../content");
    println!("cargo:rerun-if-changed={}", content.display());
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(langs) = std::fs::read_dir(&content) {
        for lang in langs.filter_map(Result::ok) {
            let dir = lang.path();
            if !dir.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", dir.display());
            let tag = lang.file_name().to_string_lossy().to_string();
            // Watched only when it exists (a missing path would rebuild every time); creating it changes the
            // language folder, which is watched.
            let articles = dir.join("articles");
            if articles.is_dir() {
                println!("cargo:rerun-if-changed={}", articles.display());
            }
            for (folder, prefix) in [(dir, tag.clone()), (articles, format!("{tag}/articles"))] {
                for f in std::fs::read_dir(&folder)
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                {
                    let p = f.path();
                    if p.is_file() && p.extension().is_some_and(|x| x == "md") {
                        println!("cargo:rerun-if-changed={}", p.display());
                        files.push((format!("{prefix}/{}", f.file_name().to_string_lossy()), p));
                    }
                }
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for (name, path) in &files {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push(']');
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("content_files.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
