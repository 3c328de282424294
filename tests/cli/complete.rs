//! Dynamic completion: a shell that sourced `COMPLETE=SHELL tether` runs
//! tether with that variable set and the words typed so far, and gets the
//! names of the config's connections and services and of the built-in
//! templates. These tests run tether as each shell's script does.

use crate::util::Env;

/// An env whose config has two services and three connections.
fn env_with_names() -> Env {
    let env = Env::new();
    env.write_config(
        "[services.gh]\nauth = \"bearer\"\nbase_url = \"https://api.github.com\"\n\n\
         [services.mail]\nauth = \"api_key\"\napi_key_header = \"X-Key\"\nbase_url = \"https://mail.example.com\"\n\n\
         [connections.gh-work]\nservice = \"gh\"\n\n\
         [connections.gh-home]\nservice = \"gh\"\n\n\
         [connections.mc]\nservice = \"mail\"\n",
    );
    env
}

/// `words` as fish sends them: the last one is the word being completed.
fn fish(env: &Env, words: &[&str]) -> String {
    let args = [&["--", "tether"][..], words].concat();
    env.cmd(&args).env("COMPLETE", "fish").ok().stdout
}

#[test]
fn connection_names_complete_with_their_service() {
    let env = env_with_names();
    let both = "gh-home\tservice gh\ngh-work\tservice gh\n";
    assert_eq!(fish(&env, &["invoke", "gh"]), both);
    assert_eq!(fish(&env, &["token", "gh-w"]), "gh-work\tservice gh\n");
    assert_eq!(fish(&env, &["connect", "m"]), "mc\tservice mail\n");
    assert_eq!(fish(&env, &["disconnect", "g"]), both);
    assert_eq!(fish(&env, &["connection", "show", "g"]), both);
    assert_eq!(fish(&env, &["connection", "rm", "g"]), both, "an alias");
    assert_eq!(
        fish(&env, &["connection", "export", "m"]),
        "mc\tservice mail\n"
    );
    assert_eq!(
        fish(&env, &["connection", "import", "m"]),
        "mc\tservice mail\n"
    );
    // Only the first argument of invoke is a connection.
    assert_eq!(fish(&env, &["invoke", "mc", "g"]), "");
}

#[test]
fn service_and_template_names_complete() {
    let env = env_with_names();
    assert_eq!(
        fish(&env, &["connect", "new", "--service", ""]),
        "gh\tbearer\nmail\tapi_key\n"
    );
    assert_eq!(
        fish(&env, &["connect", "new", "-s", "m"]),
        "mail\tapi_key\n"
    );
    assert_eq!(fish(&env, &["service", "show", "g"]), "gh\tbearer\n");
    assert_eq!(fish(&env, &["service", "edit", "m"]), "mail\tapi_key\n");
    assert_eq!(fish(&env, &["service", "remove", "m"]), "mail\tapi_key\n");
    assert_eq!(
        fish(&env, &["service", "add", "x", "--from", "gi"]),
        "github\tGitHub\ngitlab\tGitLab\n"
    );
    assert_eq!(
        fish(&env, &["service", "templates", "show", "sl"]),
        "slack\tSlack\nslack-pkce\tSlack (PKCE, public client)\n"
    );
    // A new service's name is the user's to choose.
    assert_eq!(fish(&env, &["service", "add", "g"]), "");
}

#[test]
fn every_shell_gets_the_names_in_its_own_form() {
    let env = env_with_names();
    // bash: the index of the word being completed, words joined by IFS.
    env.cmd(&["--", "tether", "invoke", "gh"])
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .stdout("gh-home\ngh-work")
        .ok();
    // zsh: `value:description`.
    env.cmd(&["--", "tether", "connect", "new", "--service", "g"])
        .env("COMPLETE", "zsh")
        .env("_CLAP_COMPLETE_INDEX", "4")
        .env("_CLAP_IFS", "\n")
        .stdout("gh:bearer")
        .ok();
    // elvish: values only.
    env.cmd(&["--", "tether", "token", "m"])
        .env("COMPLETE", "elvish")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .stdout("mc")
        .ok();
    // powershell: as fish.
    env.cmd(&["--", "tether", "token", "m"])
        .env("COMPLETE", "powershell")
        .stdout("mc\tservice mail\n")
        .ok();
}

#[test]
fn the_registration_calls_tether_back() {
    let env = env_with_names();
    let script = env.cmd(&[]).env("COMPLETE", "bash").ok().stdout;
    let binary = env!("CARGO_BIN_EXE_tether");
    assert!(script.contains("_clap_complete_tether()"), "{script}");
    assert!(
        script.contains(&format!("\"{binary}\" -- \"${{words[@]}}\"")),
        "{script}"
    );
    assert!(
        script.contains("-F _clap_complete_tether tether\n"),
        "{script}"
    );
    let script = env.cmd(&[]).env("COMPLETE", "fish").ok().stdout;
    assert!(
        script.starts_with("complete --keep-order --exclusive --command tether "),
        "{script}"
    );
    env.cmd(&[])
        .env("COMPLETE", "tcsh")
        .stderr("error: unknown shell `tcsh`, expected one of `bash`, `elvish`, `fish`, `powershell`, `zsh`\n")
        .fails(2);
}

#[test]
fn names_come_from_the_config_tether_would_read() {
    let env = env_with_names();
    let other = env.root().join("other.toml");
    std::fs::write(
        &other,
        "[services.s]\nauth = \"bearer\"\n\n[connections.ci-bot]\nservice = \"s\"\n",
    )
    .unwrap();
    let out = env
        .cmd(&["--", "tether", "invoke", ""])
        .env("COMPLETE", "fish")
        .env("TETHER_CONFIG", &other)
        .ok()
        .stdout;
    assert!(out.starts_with("ci-bot\tservice s\n"), "{out}");
    // A config that does not load completes no names, and says nothing.
    env.write_config("[services.gh\n");
    assert_eq!(fish(&env, &["invoke", "g"]), "");
}
