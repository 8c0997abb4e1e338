//! Debian's packages, installed with apt-get (through sudo unless already root).

use std::process::Command;
use std::sync::Mutex;

use crate::cmd;

/// apt-get takes its locks without waiting, and the test command installs from two threads
/// (the test dependencies beside the app's build tools): one install at a time.
static APT: Mutex<()> = Mutex::new(());

/// Installs `packages` after refreshing the package lists.
pub fn install(packages: &[&str]) -> Result<(), String> {
    let _turn = APT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    eprintln!("installing from Debian: {}", packages.join(" "));
    let sudo = if cmd::output(Command::new("id").arg("-u")).unwrap_or_default().trim() == "0" { None } else { Some("sudo") };
    let apt = |args: &[&str]| {
        let mut c = Command::new(sudo.unwrap_or("apt-get"));
        if sudo.is_some() {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    cmd::run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(packages);
    cmd::run(&mut install)
}
