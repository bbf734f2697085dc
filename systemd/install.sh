#!/usr/bin/env bash
# Installs Truffles on this host as five systemd services behind nginx (see "Install on a server" in README.md).
# Idempotent: a second run changes nothing. Never overwrites the .env (the keys live there) or any data.
#
#   systemd/install.sh [--root DIR] [--no-build] [--embedded]
#   systemd/install.sh [--root DIR] --uninstall      removes what install added; keeps the .env, the data, the users
#
# --root DIR   install into DIR instead of / (a scratch root for tests, or an image being built); nothing is started
# --no-build   use the jars that are built; fail if they are not (default: build them with ./mvnw when missing)
# --embedded   TEST ONLY, not the production path: also install units for the embedded MongoDB wire-protocol server
#              and the s3proxy server the launcher uses, and point a new .env at them. Production wants a real MongoDB
#              replica set and a real bucket.
set -euo pipefail

SOURCE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
SERVICES=(api poller renderer analyzer agent-runner)
ROOT=/
BUILD=true
EMBEDDED=false
UNINSTALL=false

OPT=opt/truffles
CONF=etc/truffles
ENV_FILE=$CONF/truffles.env
DATA=var/lib/truffles
AGENT_HOME=var/lib/truffles-agent
UNITS=etc/systemd/system
POLKIT_RULE=etc/polkit-1/rules.d/50-truffles.rules
NGINX_SITE=etc/nginx/sites-available/truffles
NGINX_ENABLED=etc/nginx/sites-enabled/truffles
NGINX_DEFAULT=etc/nginx/sites-enabled/default
# where install keeps what it changed beyond its own files, for --uninstall
STATE=$DATA/.install-state

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --root) ROOT=${2:?--root needs a directory}; shift ;;
    --root=*) ROOT=${1#--root=} ;;
    --no-build) BUILD=false ;;
    --embedded) EMBEDDED=true ;;
    --uninstall) UNINSTALL=true ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || die "run it as root (it creates users, directories and units)"
ROOT=$(readlink -f "$ROOT")
[[ -d $ROOT ]] || die "--root $ROOT is not a directory"
LIVE=false # this host's own systemd and nginx are the ones installed into
[[ $ROOT == / && -d /run/systemd/system ]] && LIVE=true
at() { printf '%s\n' "${ROOT%/}/$1"; }

# --- users ---------------------------------------------------------------------------

ensure_user() { # name home -> a system user with that name and a group of its own
  local name=$1 home=$2 prefix=()
  grep -q "^$name:" "$(at etc/passwd)" 2>/dev/null && return 0
  [[ $ROOT == / ]] || prefix=(--prefix "$ROOT")
  useradd "${prefix[@]}" --system --user-group --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$name"
  say "  created user $name"
}

owner_of() { # user -> uid:gid in the installed root (chown runs on the host, whose ids may differ)
  awk -F: -v u="$1" '$1 == u { print $3 ":" $4 }' "$(at etc/passwd)"
}

# --- files ---------------------------------------------------------------------------

ensure_dir() { # path mode owner
  local path=$1 mode=$2 owner=$3
  mkdir -p "$(at "$path")"
  chmod "$mode" "$(at "$path")"
  chown "$owner" "$(at "$path")"
}

put_file() { # source path mode -> installs the file when its content or mode differs
  local source=$1 path=$2 mode=$3 target
  target=$(at "$path")
  if [[ -f $target ]] && cmp -s "$source" "$target" && [[ $(stat -c %a "$target") == "${mode#0}" ]]; then
    return 0
  fi
  mkdir -p "$(dirname "$target")"
  install -m "$mode" -o root -g root "$source" "$target"
  say "  installed /$path"
}

tree_signature() { # dir -> one line that changes when any file under it does
  (cd "$1" && find . -printf '%P %s %T@ %m\n' | LC_ALL=C sort | sha256sum | cut -c1-32)
}

put_tree() { # source path -> a copy of the directory, replaced only when the source changed
  local source=$1 path=$2 target signature
  target=$(at "$path")
  signature=$(tree_signature "$source")
  [[ -f $target.source && $(<"$target.source") == "$signature" ]] && return 0
  rm -rf "$target.new"
  mkdir -p "$(dirname "$target")"
  cp -a "$source" "$target.new"
  chown -R root:root "$target.new"
  chmod -R u+rwX,go+rX,go-w "$target.new"
  rm -rf "$target"
  mv "$target.new" "$target"
  printf '%s\n' "$signature" >"$target.source"
  say "  installed /$path"
}

# --- build ---------------------------------------------------------------------------

built() {
  local name
  for name in "${SERVICES[@]}"; do
    [[ -f $SOURCE/$name/target/quarkus-app/quarkus-run.jar ]] || return 1
  done
  if $EMBEDDED; then
    [[ -f $SOURCE/core/target/embedded/s3proxy.jar && -d $SOURCE/core/target/embedded/lib ]] && core_jar >/dev/null
  fi
}

core_jar() {
  local jar
  for jar in "$SOURCE"/core/target/truffles-core-*.jar; do
    case $jar in *-tests.jar | *-sources.jar | *-javadoc.jar) continue ;; esac
    [[ -f $jar ]] && { say "$jar"; return 0; }
  done
  return 1
}

ensure_built() {
  built && return 0
  $BUILD || die "Truffles is not built in $SOURCE: run ./mvnw -B -DskipTests package there (or drop --no-build)"
  say "Building Truffles in $SOURCE (./mvnw -B -q -DskipTests package) ..."
  (cd "$SOURCE" && ./mvnw -B -q -DskipTests package)
  built || die "the build did not produce every service's quarkus-app"
}

# --- the pieces ----------------------------------------------------------------------

new_env_file() { # prints the first .env: .env.example with this host's paths
  # An empty KEY= would reach the services as an empty value, which is not the same as unset (the default): systemd
  # sets it. So empty assignments become comments; fill one in (uncommented) to set it.
  sed -E -e "s|^TRUFFLES_DATA_DIR=.*|TRUFFLES_DATA_DIR=/$DATA|" \
    -e "s|^REPO_CLONE_PATH=.*|REPO_CLONE_PATH=/$DATA/repo|" \
    -e "s|^WORKTREE_BASE_PATH=.*|WORKTREE_BASE_PATH=/$DATA/worktrees|" \
    -e 's/^([A-Za-z_][A-Za-z0-9_]*)=$/#\1=/' \
    "$SOURCE/.env.example"
  if $EMBEDDED; then
    cat <<EOF

# --- TEST ONLY (install.sh --embedded): the embedded MongoDB and S3 servers, not a production set-up ---
MONGODB_URI=mongodb://127.0.0.1:27027/truffles
S3_ENDPOINT=http://127.0.0.1:4005
AWS_ACCESS_KEY_ID=truffles
AWS_SECRET_ACCESS_KEY=truffles-local-secret
EOF
  fi
}

embedded_units() { # writes the test-only units into $1
  local classpath
  classpath="/$OPT/embedded/$(basename "$(core_jar)"):/$OPT/embedded/lib/*"
  cat >"$1/truffles-embedded-mongo.service" <<EOF
# TEST ONLY (install.sh --embedded): the embedded MongoDB wire-protocol server, as ./truffles up runs it.
# Production runs MongoDB itself as a single-node replica set (see README.md).
[Unit]
Description=Truffles embedded MongoDB (test only)
PartOf=truffles.target

[Service]
User=truffles
Group=truffles
ExecStart=/usr/bin/java -Xmx256m -cp "$classpath" io.truffles.core.embedded.EmbeddedMongoServer --port 27027 --file /$DATA/mongo/truffles.mv
ExecStartPost=/bin/bash -c 'for i in \$(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/27027) 2>/dev/null && exit 0; sleep 0.2; done; exit 1'
SuccessExitStatus=143
Restart=on-failure
ReadWritePaths=/$DATA/mongo
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
EOF
  cat >"$1/truffles-embedded-s3.service" <<EOF
# TEST ONLY (install.sh --embedded): the s3proxy server with a filesystem bucket, as ./truffles up runs it.
# Production uses a bucket on AWS or any S3-compatible server.
[Unit]
Description=Truffles embedded S3 (test only)
PartOf=truffles.target

[Service]
User=truffles
Group=truffles
ExecStart=/usr/bin/java -Xmx256m -jar /$OPT/embedded/s3proxy.jar --properties /$DATA/s3/s3proxy.properties
ExecStartPost=/bin/bash -c 'for i in \$(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/4005) 2>/dev/null && exit 0; sleep 0.2; done; exit 1'
SuccessExitStatus=143
Restart=on-failure
ReadWritePaths=/$DATA/s3
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
EOF
  cat >"$1/embedded.conf" <<EOF
# TEST ONLY (install.sh --embedded)
[Unit]
Wants=truffles-embedded-mongo.service truffles-embedded-s3.service
EOF
  cat >"$1/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:4005
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=truffles
s3proxy.credential=truffles-local-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=/$DATA/s3/objects
EOF
}

enable_target() {
  if $LIVE; then
    systemctl daemon-reload
    systemctl enable --quiet truffles.target
  elif command -v systemctl >/dev/null; then
    systemctl --root="$ROOT" enable --quiet truffles.target 2>/dev/null \
      || ln -sfn ../truffles.target "$(at "$UNITS/multi-user.target.wants/truffles.target")"
  fi
}

install_nginx_site() {
  put_file "$SOURCE/systemd/nginx/truffles.conf" "$NGINX_SITE" 0644
  mkdir -p "$(at "$(dirname "$NGINX_ENABLED")")"
  [[ -L $(at "$NGINX_ENABLED") ]] || { ln -sfn ../sites-available/truffles "$(at "$NGINX_ENABLED")"; say "  enabled /$NGINX_ENABLED"; }
  # Debian's default site also claims port 80 as default_server: ours takes its place, and --uninstall puts it back
  if [[ -L $(at "$NGINX_DEFAULT") ]]; then
    printf '%s\n' "$(readlink "$(at "$NGINX_DEFAULT")")" >"$(at "$STATE")/nginx-default-site"
    rm "$(at "$NGINX_DEFAULT")"
    say "  disabled nginx's default site (kept in sites-available)"
  fi
  if $LIVE && command -v nginx >/dev/null; then
    nginx -t -q && systemctl reload-or-restart nginx
  fi
}

do_install() {
  local name tmp agent_user
  ensure_built
  say "Installing Truffles from $SOURCE into $ROOT"
  ensure_user truffles "/$DATA"
  ensure_user truffles-agent "/$AGENT_HOME"
  agent_user=$(owner_of truffles-agent)

  ensure_dir "$OPT" 0755 root:root
  for name in "${SERVICES[@]}"; do
    ensure_dir "$OPT/$name" 0755 root:root
    put_tree "$SOURCE/$name/target/quarkus-app" "$OPT/$name/quarkus-app"
  done
  # the Claude Code CLI, where the agent-runner's default CLAUDE_CLI_PATH (relative to its directory) finds it
  if [[ -d $SOURCE/agent-runner/claude-code/node_modules ]]; then
    ensure_dir "$OPT/agent-runner/claude-code" 0755 root:root
    put_tree "$SOURCE/agent-runner/claude-code/node_modules" "$OPT/agent-runner/claude-code/node_modules"
  fi

  # The .env: only the truffles user reads and writes it (the api saves secrets there; systemd reads it as root).
  ensure_dir "$CONF" 0700 "$(owner_of truffles)"
  if [[ ! -f $(at "$ENV_FILE") ]]; then
    new_env_file >"$(at "$ENV_FILE")"
    say "  created /$ENV_FILE from .env.example (fill in the keys)"
  fi
  chmod 0600 "$(at "$ENV_FILE")"
  chown "$(owner_of truffles)" "$(at "$ENV_FILE")"

  ensure_dir "$DATA" 0751 "$(owner_of truffles)" # agents traverse it to their worktrees
  ensure_dir "$DATA/inbox" 0750 "$(owner_of truffles)"
  ensure_dir "$DATA/worktrees" 0755 root:root # the agent-runner (root) makes them, agents (truffles-agent) use them
  ensure_dir "$DATA/agent-runs" 0755 root:root # each agent's model bridge socket and settings, made by the runner
  ensure_dir "$DATA/agent-runner" 0700 root:root # the runner's own git HOME: no shared git configuration
  ensure_dir "$AGENT_HOME" 0750 "$agent_user"
  ensure_dir "$STATE" 0700 root:root

  for name in "${SERVICES[@]}"; do
    put_file "$SOURCE/systemd/truffles-$name.service" "$UNITS/truffles-$name.service" 0644
  done
  put_file "$SOURCE/systemd/truffles.target" "$UNITS/truffles.target" 0644
  put_file "$SOURCE/systemd/polkit/50-truffles.rules" "$POLKIT_RULE" 0644

  if $EMBEDDED; then
    tmp=$(mktemp -d)
    embedded_units "$tmp"
    put_tree "$SOURCE/core/target/embedded/lib" "$OPT/embedded/lib"
    put_file "$SOURCE/core/target/embedded/s3proxy.jar" "$OPT/embedded/s3proxy.jar" 0644
    put_file "$(core_jar)" "$OPT/embedded/$(basename "$(core_jar)")" 0644
    put_file "$tmp/truffles-embedded-mongo.service" "$UNITS/truffles-embedded-mongo.service" 0644
    put_file "$tmp/truffles-embedded-s3.service" "$UNITS/truffles-embedded-s3.service" 0644
    put_file "$tmp/embedded.conf" "$UNITS/truffles.target.d/embedded.conf" 0644
    ensure_dir "$DATA/mongo" 0750 "$(owner_of truffles)"
    ensure_dir "$DATA/s3" 0750 "$(owner_of truffles)"
    ensure_dir "$DATA/s3/objects" 0750 "$(owner_of truffles)"
    put_file "$tmp/s3proxy.properties" "$DATA/s3/s3proxy.properties" 0644
    rm -rf "$tmp"
  fi

  install_nginx_site
  enable_target
  say
  say "Installed. What is left to do:"
  say "  1. MongoDB as a single-node replica set (change streams need one), e.g. on this host:"
  say "       apt-get install mongodb-org   # MongoDB's own apt repository: https://www.mongodb.com/docs/manual/installation/"
  say "       echo -e 'replication:\\n  replSetName: rs0' >>/etc/mongod.conf && systemctl restart mongod"
  say "       mongosh --eval 'rs.initiate()'"
  say "     then MONGODB_URI=mongodb://127.0.0.1:27017/truffles?replicaSet=rs0 in /$ENV_FILE"
  say "  2. A bucket: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, S3_BUCKET (and S3_ENDPOINT off AWS)"
  say "  3. The keys in /$ENV_FILE: ADMIN_PASSWORD, POSTHOG_API_KEY + POSTHOG_PROJECT_ID, OPENROUTER_API_KEY,"
  say "     ANTHROPIC_API_KEY, GITHUB_TOKEN + GITHUB_REPO (each one left empty switches its feature off)"
  say "  4. The product's clone for agents: git clone https://github.com/OWNER/REPO /$DATA/repo"
  say "  5. systemctl start truffles.target; systemctl status 'truffles-*'; then http://<this host>/"
}

remove() { # path -> removes a file or directory install added
  local target
  target=$(at "$1")
  [[ -e $target || -L $target ]] || return 0
  rm -rf "$target"
  say "  removed /$1"
}

do_uninstall() {
  local name unit
  say "Removing Truffles from $ROOT (the .env, $DATA and the users stay)"
  if $LIVE; then
    systemctl disable --now --quiet truffles.target 2>/dev/null || true
    for unit in "${SERVICES[@]/#/truffles-}" truffles-embedded-mongo truffles-embedded-s3; do
      systemctl stop "$unit.service" 2>/dev/null || true
    done
  else
    rm -f "$(at "$UNITS/multi-user.target.wants/truffles.target")"
  fi
  for name in "${SERVICES[@]}"; do remove "$UNITS/truffles-$name.service"; done
  remove "$UNITS/truffles-embedded-mongo.service"
  remove "$UNITS/truffles-embedded-s3.service"
  remove "$UNITS/truffles.target.d"
  remove "$UNITS/truffles.target"
  remove "$POLKIT_RULE"
  remove "$NGINX_ENABLED"
  remove "$NGINX_SITE"
  if [[ -f $(at "$STATE")/nginx-default-site ]]; then
    ln -sfn "$(<"$(at "$STATE")/nginx-default-site")" "$(at "$NGINX_DEFAULT")"
    rm "$(at "$STATE")/nginx-default-site"
    say "  enabled nginx's default site again"
  fi
  remove "$OPT"
  remove "$STATE"
  if $LIVE; then
    systemctl daemon-reload
    if command -v nginx >/dev/null; then nginx -t -q && systemctl reload-or-restart nginx; fi
  fi
  say "Done. To remove the rest too: rm -rf /$CONF /$DATA /$AGENT_HOME; userdel truffles; userdel truffles-agent"
}

if $UNINSTALL; then do_uninstall; else do_install; fi
