//! `tether service templates` and `service add --from`: the catalogue's
//! stable JSON, and services that keep only what the user set while every
//! command sees the template's values.

use serde_json::json;

use crate::util::{Env, keys};

#[test]
fn templates_json_has_a_stable_shape() {
    let env = Env::new();
    let list = env.cmd(&["service", "templates", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 20, "{list:?}");
    for item in list {
        let keys = keys(item);
        assert_eq!(
            keys,
            [
                "name",
                "display_name",
                "auth",
                "docs_url",
                "redirect",
                "tags"
            ]
        );
    }
    let google = list.iter().find(|t| t["name"] == "google").unwrap();
    assert_eq!(
        google,
        &json!({
            "name": "google",
            "display_name": "Google",
            "auth": "oauth2",
            "docs_url": "https://console.cloud.google.com/apis/credentials",
            "redirect": "any_loopback_port",
            "tags": ["mail", "gmail", "calendar", "drive", "identity"],
        })
    );
    let openai = list.iter().find(|t| t["name"] == "openai").unwrap();
    assert_eq!(openai["auth"], "api_key");
    assert_eq!(openai["redirect"], serde_json::Value::Null);

    let show = env
        .cmd(&["service", "templates", "show", "mailchimp", "--json"])
        .ok()
        .json();
    let keys = keys(&show);
    assert_eq!(
        keys,
        [
            "name",
            "display_name",
            "auth",
            "docs_url",
            "redirect",
            "tags",
            "notes",
            "service"
        ]
    );
    assert_eq!(show["service"]["metadata_vars"], json!({ "dc": "dc" }));
    assert_eq!(
        show["service"]["base_url"],
        "https://{dc}.api.mailchimp.com/3.0"
    );
    assert!(
        show["service"].get("client_id").is_none(),
        "only the keys the template sets"
    );

    // People get a table with the columns they scan for.
    let out = env.cmd(&["service", "templates"]).ok();
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "DISPLAY", "NAME", "AUTH", "DOCS"]);
    let microsoft: Vec<&str> = out
        .stdout
        .lines()
        .find(|line| line.starts_with("microsoft "))
        .unwrap_or_else(|| panic!("no microsoft row:\n{out}"))
        .split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .collect();
    assert_eq!(
        microsoft,
        [
            "microsoft",
            "Microsoft identity platform",
            "oauth2",
            "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
        ]
    );
    assert_eq!(out.stdout.lines().count(), list.len() + 1, "{out}");
}

#[test]
fn a_filter_finds_templates_by_name_display_name_or_tag() {
    let env = Env::new();
    let names = |filter: &str| -> Vec<String> {
        let list = env
            .cmd(&["service", "templates", filter, "--json"])
            .ok()
            .json();
        list.as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    // By tag (`mail`, `email`), by name (`mailchimp`), in name order.
    assert_eq!(
        names("mail"),
        ["google", "mailchimp", "microsoft", "sendgrid", "zoho"]
    );
    // By display name, in any case.
    assert_eq!(names("QUICKBOOKS"), ["intuit"]);
    assert_eq!(names("Identity Platform"), ["microsoft"]);
    // The table holds the same rows.
    env.cmd(&["service", "templates", "llm"])
        .stdout(
            "NAME       DISPLAY NAME  AUTH     DOCS\n\
             anthropic  Anthropic     api_key  https://console.anthropic.com/settings/keys\n\
             gemini     Gemini API    api_key  https://aistudio.google.com/apikey\n\
             openai     OpenAI        api_key  https://platform.openai.com/api-keys\n",
        )
        .ok();
    env.cmd(&["service", "templates", "nothing-like-it"])
        .stderr(
            "No template matches `nothing-like-it`. `tether service templates` lists them all.\n",
        )
        .ok();
    assert_eq!(
        env.cmd(&["service", "templates", "nothing-like-it", "--json"])
            .ok()
            .json(),
        json!([])
    );
    // `show` is still the subcommand.
    let show = env
        .cmd(&["service", "templates", "show", "notion", "--json"])
        .ok()
        .json();
    assert_eq!(show["tags"], json!(["docs", "wiki", "notes", "database"]));
}

#[test]
fn an_unknown_template_gets_a_suggestion() {
    let env = Env::new();
    env.cmd(&["service", "templates", "show", "dropbx"])
        .stderr("tether: error: no template named `dropbx`\nhint: did you mean `dropbox`?\n")
        .fails(2);
    env.cmd(&[
        "service",
        "add",
        "x",
        "--from",
        "gogle",
        "--client-id",
        "ID",
    ])
    .stderr("tether: error: no template named `gogle`\nhint: did you mean `google`?\n")
    .fails(2);
    assert_eq!(env.read_config(), "", "nothing written");

    env.write_config("[services.x]\nclient_id = \"ID\"\ntemplate = \"githb\"\n");
    env.cmd(&["service", "show", "x"])
        .stderr(format!(
            "tether: error: {}:3:12: `services.x.template`: no template named `githb`\n\
             hint: did you mean `github`?\n",
            env.config_path().display()
        ))
        .fails(2);
}

#[test]
fn add_from_a_template_writes_only_what_the_user_set() {
    let env = Env::new();
    let config = env.config_path().display().to_string();
    env.cmd(&[
        "service",
        "add",
        "x",
        "--from",
        "google",
        "--client-id",
        "ID",
    ])
    .stderr(format!(
        "Added service `x` (oauth2, from the Google template) to {config}\n\
         At the provider, register the redirect URI http://127.0.0.1/callback (any port is accepted)\n\
         Connect it with `tether connect NAME --service x`\n"
    ))
    .ok();
    assert_eq!(
        env.read_config(),
        "[services.x]\ntemplate = \"google\"\nclient_id = \"ID\"\n"
    );

    // Every command sees the resolved service; show says what is inherited.
    let show = env.cmd(&["service", "show", "x", "--json"]).ok().json();
    assert_eq!(show["template"], "google");
    assert_eq!(show["client_id"], "ID");
    assert_eq!(
        show["authorize_url"],
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    assert_eq!(show["token_url"], "https://oauth2.googleapis.com/token");
    assert_eq!(
        show["auth_params"],
        json!({ "access_type": "offline", "prompt": "consent" })
    );
    let inherited: Vec<&str> = show["inherited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        inherited,
        [
            "auth",
            "authorize_url",
            "token_url",
            "revoke_url",
            "scopes",
            "auth_params",
            "base_url",
            "allowed_hosts",
            "client_auth",
            "docker_username",
            "include_granted_scopes"
        ]
    );
    env.cmd(&["service", "show", "x"])
        .stdout(
            "name                    x\n\
             auth                    oauth2  (template google)\n\
             template                google\n\
             client_id               ID\n\
             authorize_url           https://accounts.google.com/o/oauth2/v2/auth  (template google)\n\
             token_url               https://oauth2.googleapis.com/token  (template google)\n\
             revoke_url              https://oauth2.googleapis.com/revoke  (template google)\n\
             scopes                  openid email  (template google)\n\
             auth_params             access_type=offline prompt=consent  (template google)\n\
             base_url                https://www.googleapis.com  (template google)\n\
             allowed_hosts           *.googleapis.com  (template google)\n\
             client_auth             body  (template google)\n\
             docker_username         oauth2accesstoken  (template google)\n\
             include_granted_scopes  true  (template google)\n",
        )
        .ok();

    // An override is written alone and wins; unsetting it brings the
    // template's value back.
    env.cmd(&["service", "edit", "x", "--scope", "email"])
        .stderr("Updated service `x`\n")
        .ok();
    assert_eq!(
        env.read_config(),
        "[services.x]\ntemplate = \"google\"\nclient_id = \"ID\"\nscopes = [\"email\"]\n"
    );
    let show = env.cmd(&["service", "show", "x", "--json"]).ok().json();
    assert_eq!(show["scopes"], json!(["email"]));
    env.cmd(&["service", "edit", "x", "--unset", "scopes"])
        .stderr("Updated service `x`\n")
        .ok();
    let show = env.cmd(&["service", "show", "x", "--json"]).ok().json();
    assert_eq!(show["scopes"], json!(["openid", "email"]));

    // A template var is set on the service and fills its endpoints.
    env.cmd(&[
        "service",
        "add",
        "ms",
        "--from",
        "microsoft",
        "--client-id",
        "ID",
        "--var",
        "tenant=contoso.onmicrosoft.com",
    ])
    .stderr(format!(
        "Added service `ms` (oauth2, from the Microsoft identity platform template) to {config}\n\
         At the provider, register the redirect URI http://127.0.0.1/callback (any port is accepted)\n\
         Connect it with `tether connect NAME --service ms`\n"
    ))
    .ok();
    let show = env.cmd(&["service", "show", "ms", "--json"]).ok().json();
    assert_eq!(
        show["authorize_url"],
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
    );

    // A template without a browser flow needs no client ID.
    env.cmd(&["service", "add", "ai", "--from", "openai"])
        .stderr(format!(
            "Added service `ai` (api_key, from the OpenAI template) to {config}\n"
        ))
        .ok();
    assert!(
        env.read_config()
            .ends_with("\n[services.ai]\ntemplate = \"openai\"\n"),
        "{}",
        env.read_config()
    );
}

#[test]
fn a_template_service_needs_its_client_id() {
    let env = Env::new();
    env.cmd(&["service", "add", "x", "--from", "github"])
        .stderr(
            "tether: error: `client_id` (service `x`, auth = \"oauth2\") is required\n\
             hint: pass `--client-id …`, or run the command in a terminal to be asked\n",
        )
        .fails(2);
    assert_eq!(env.read_config(), "");
}
