//! The completion scripts in `completions/` are what `tether completions`
//! prints. When the command line changes, regenerate them with
//! `TETHER_BLESS=1 cargo test completions`.

use crate::util::Env;

#[test]
fn committed_completion_scripts_are_current() {
    let env = Env::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("TETHER_BLESS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in [
        ("bash", "tether.bash"),
        ("zsh", "_tether"),
        ("fish", "tether.fish"),
        ("powershell", "_tether.ps1"),
        ("elvish", "tether.elv"),
    ] {
        let out = env.cmd(&["completions", shell]).ok();
        assert!(out.stdout.contains("tether"), "{shell}: {out}");
        let path = dir.join(file);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(out.stdout.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run `TETHER_BLESS=1 cargo test completions`"
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let env = Env::new();
    env.cmd(&["completions", "tcsh"])
        .stderr(
            "error: invalid value 'tcsh' for '<SHELL>'\n  [possible values: bash, elvish, fish, powershell, zsh]\n\n  tip: a similar value exists: 'zsh'\n\nFor more information, try '--help'.\n",
        )
        .fails(2);
}
