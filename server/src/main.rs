//! `telnuska-server`: reads its command line and the environment (`--help`), starts the server, stops gracefully on Ctrl-C/SIGTERM.

use std::process::ExitCode;

use clap::Parser;
use telnuska_server::cli::{Cli, Command};
use telnuska_server::config::{Config, DatabaseKind};
use telnuska_server::{commands, demo, Application};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_settings(cli.settings) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("telnuska-server: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {}
        Command::Backup { path } => {
            return report(commands::backup(&config, &path).await.map(|()| format!("backup written to {}", path.display())));
        }
        Command::Restore { path } => {
            return report(
                commands::restore(&config, &path)
                    .await
                    .map(|kept| format!("restored from {}; the previous database is kept as {}", path.display(), kept.display())),
            )
        }
        Command::Verify { anchors } => {
            return report(commands::verify(&config, &anchors).await.map(|n| format!("hash chains verified: {n} events, none broken")))
        }
        Command::CreateAdmin { login } => {
            let mut password = String::new();
            let _ = std::io::stdin().read_line(&mut password);
            let password = password.trim_end_matches(['\r', '\n']);
            return report(commands::create_admin(&config, &login, password).await.map(|()| format!("administrator {login} created")));
        }
    }
    let (database_url, kind, demo_mode, dist) = (config.database_url.expose().to_string(), config.database_kind, config.demo, config.dist_dir.clone());
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("telnuska-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = app.local_addr();
    // Tests and scripts read this exact line to learn the port (API.md).
    println!("listening on http://{addr}");
    let database = match kind {
        DatabaseKind::Sqlite => std::path::absolute(database_url.trim_start_matches("sqlite://").split('?').next().unwrap_or_default())
            .map_or(database_url.clone(), |p| format!("SQLite file {}", p.display())),
        DatabaseKind::Postgres => "PostgreSQL (DATABASE_URL)".to_string(),
    };
    println!("database: {database}");
    if !dist.join("index.html").exists() {
        println!("warning: no built app in {} (run `cargo xtask build-app`); the API works without it", dist.display());
    }
    if demo_mode {
        println!("demo mode: staff accounts (password \"{}\"):", demo::DEMO_PASSWORD);
        for (login, role, _) in demo::DEMO_ACCOUNTS {
            println!("  {login:<9} role {}", role.code());
        }
        println!("  SMS codes are not sent: read them at http://{addr}/api/dev/sms?phone=%2B77011234567");
    }
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("telnuska-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn report(result: Result<String, commands::CommandError>) -> ExitCode {
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("telnuska-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}
