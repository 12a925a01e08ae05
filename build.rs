//! Build script: records the typst version from Cargo.lock, so
//! `policyc --version` always names the typst that is really built in.

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let mut version = "unknown".to_string();
    let mut in_typst = false;
    for line in lock.lines() {
        if line.starts_with("name = ") {
            in_typst = line == "name = \"typst\"";
        } else if in_typst && line.starts_with("version = ") {
            version = line
                .trim_start_matches("version = ")
                .trim_matches('"')
                .to_string();
            break;
        }
    }
    println!("cargo:rustc-env=POLICYC_TYPST_VERSION={version}");
}
