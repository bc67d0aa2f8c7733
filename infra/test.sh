#!/usr/bin/env bash
# Offline tests for Sluice's Terraform: fmt, init+validate of every root, `terraform test` of every module,
# and static security scans. Runs from any working directory; needs no network and no AWS credentials.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROVIDER_VERSION_RE='5\.[0-9]+\.[0-9]+'

fail() { echo "infra/test.sh: FAIL: $*" >&2; exit 1; }

if ! command -v terraform >/dev/null 2>&1; then
  cat >&2 <<'HINT'
infra/test.sh: FAIL: terraform is not installed (or not on PATH).
Install Terraform >= 1.7 (tested with 1.11), for example:
  https://developer.hashicorp.com/terraform/install   (zip: unzip into /usr/local/bin)
  or on Debian/Ubuntu: apt-get install terraform  (after adding the HashiCorp apt repository)
HINT
  exit 127
fi

# --- Locate a hashicorp/aws provider mirror -------------------------------------------------------
# A filesystem mirror has the layout <root>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/...
find_mirror() {
  local candidates=()
  [[ -n "${SLUICE_TF_PROVIDER_MIRROR:-}" ]] && candidates+=("$SLUICE_TF_PROVIDER_MIRROR")
  candidates+=(/opt/tf-plugins /usr/share/terraform/plugins /usr/local/share/terraform/plugins
    "$HOME/.terraform.d/plugins" "$HOME/.local/share/terraform/plugins")
  local c
  for c in "${candidates[@]}"; do
    if compgen -G "$c/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*" >/dev/null; then
      echo "$c"; return 0
    fi
  done
  # Last resort: search the filesystem (slow but robust).
  local bin
  bin="$(find / -xdev -path '*/registry.terraform.io/hashicorp/aws/*/terraform-provider-aws*' -type f 2>/dev/null | head -n1 || true)"
  if [[ -n "$bin" ]]; then
    # strip registry.terraform.io/hashicorp/aws/<ver>/<arch>/<file>
    echo "${bin%/registry.terraform.io/hashicorp/aws/*}"; return 0
  fi
  return 1
}

MIRROR="$(find_mirror)" || fail "no filesystem mirror of hashicorp/aws found.
Set SLUICE_TF_PROVIDER_MIRROR to a directory laid out as <dir>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/,
or populate one with: terraform providers mirror <dir>  (run in any module, with registry access)."
MIRROR_VERSIONS="$(ls "$MIRROR/registry.terraform.io/hashicorp/aws" | tr '\n' ' ')"
echo "== provider mirror: $MIRROR (hashicorp/aws $MIRROR_VERSIONS)"
echo "$MIRROR_VERSIONS" | grep -Eq "$PROVIDER_VERSION_RE" || fail "mirror has no hashicorp/aws 5.x (constraints are >= 5.60, < 6.0)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sluice-infra-test.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$WORK/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$WORK/terraform.rc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1
echo "== $(terraform version | head -n1)"
unset TF_WORKSPACE

cd "$INFRA_DIR"

# --- 1. formatting ---------------------------------------------------------------------------------
echo "== terraform fmt -check -recursive"
terraform fmt -check -recursive -diff . || fail "terraform fmt found unformatted files (run: terraform fmt -recursive infra)"

# --- 2. static security scans (cheap, whole tree) -------------------------------------------------
echo "== static security scans"
scan_fail=0
# 2a. 0.0.0.0/0 may appear only in route destinations of the network module (NAT path) or on lines that
#     carry the explicit marker "sluice:allow-egress-443" (egress 443 where a NAT path is really needed).
while IFS= read -r hit; do
  case "$hit" in
    modules/network/main.tf:*destination_cidr_block*) ;;
    *sluice:allow-egress-443*) ;;
    *error_message*|*description*) ;;
    *) echo "  open CIDR outside the allowed places: $hit"; scan_fail=1 ;;
  esac
done < <(grep -rn --include='*.tf' --include='*.tfvars.example' -e '0\.0\.0\.0/0' -e '::/0' . | grep -v '/tests/' | grep -v '/\.terraform/' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' | sed 's#^\./##' || true)
# 2b. No literal secret values: password/secret/token keys must not be assigned a literal string.
while IFS= read -r hit; do
  echo "  literal secret-looking value: $hit"; scan_fail=1
done < <(grep -rniE --include='*.tf' --include='*.tfvars.example' --include='*.sh' --include='*.tftpl' \
  '(password|passwd|secret_key|sasl\.jaas\.config|(^|[^a-z_])token)[A-Za-z_."]*[[:space:]]*[:=][[:space:]]*"[^"$<{%][^"]*"' . \
  | grep -v '/tests/' | grep -v '/\.terraform/' | grep -viE 'description|_arn|secret_id|_name|password_length|manage_master_user_password|IAMLoginModule|ScramLoginModule required username=\$' || true)
# 2c. No wildcard IAM actions anywhere ("s3:*", "kafka-cluster:*", "*").
while IFS= read -r hit; do
  echo "  wildcard IAM action: $hit"; scan_fail=1
done < <(grep -rnE --include='*.tf' '"[a-z0-9-]+:\*"|Action[[:space:]]*=[[:space:]]*"\*"|actions[[:space:]]*=[[:space:]]*\[[[:space:]]*"\*"' . | grep -v '/tests/' | grep -v '/\.terraform/' || true)
# 2c'. No output exposes a secret value (secret ARNs are fine).
while IFS= read -r hit; do
  echo "  output exposing a secret value: $hit"; scan_fail=1
done < <(grep -rnE --include='outputs.tf' 'secret_string|random_password|master_password|\.password[^_]|sensitive[[:space:]]*=[[:space:]]*true' . | grep -v '/\.terraform/' || true)
# 2d. Every module and stack declares the aws provider constraint that accepts 5.100.0.
for v in modules/*/versions.tf stacks/*/versions.tf stacks/*/*/versions.tf; do
  [[ -f "$v" ]] || continue
  grep -q '">= 5.60, < 6.0"' "$v" || { echo "  $v: aws constraint must be \">= 5.60, < 6.0\""; scan_fail=1; }
done
# 2e. Every module README documents every input and output by name.
for m in modules/*/; do
  m="${m%/}"
  [[ -f "$m/README.md" ]] || { echo "  $m: README.md missing"; scan_fail=1; continue; }
  for f in main.tf variables.tf outputs.tf versions.tf; do
    [[ -f "$m/$f" ]] || { echo "  $m: $f missing"; scan_fail=1; }
  done
  [[ -d "$m/examples" ]] || { echo "  $m: examples/ missing"; scan_fail=1; }
  compgen -G "$m/tests/*.tftest.hcl" >/dev/null || { echo "  $m: no tests/*.tftest.hcl"; scan_fail=1; }
  for name in $(grep -hoE '^(variable|output) "[^"]+"' "$m"/variables.tf "$m"/outputs.tf | sed -E 's/.*"([^"]+)"/\1/'); do
    grep -q "\`$name\`" "$m/README.md" || { echo "  $m/README.md does not document \`$name\`"; scan_fail=1; }
  done
done
[[ $scan_fail -eq 0 ]] || fail "static security scans failed (see above)"

# --- 3. init + validate every root, terraform test every module -----------------------------------
# Roots are copied to $WORK so that no .terraform directory or lock file is written into the repo.
mapfile -t MODULES < <(find modules -mindepth 1 -maxdepth 1 -type d | sort)
mapfile -t EXAMPLES < <(find modules -path '*/examples/*' -not -path '*/.terraform/*' -name '*.tf' -printf '%h\n' | sort -u)
mapfile -t STACKS < <(find stacks -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' 2>/dev/null | sort -u)

# Validating a root mostly waits on loading the aws provider schema, so independent roots run
# SLUICE_TF_JOBS at a time (default 2); results are printed in a fixed order afterwards.
JOBS="${SLUICE_TF_JOBS:-2}"
mkdir -p "$WORK/tree" "$WORK/logs"
tar -C "$INFRA_DIR" --exclude='.terraform' --exclude='.terraform.lock.hcl' -cf - $(ls -d modules stacks 2>/dev/null) | tar -C "$WORK/tree" -xf -

# check_root <root> <validate|test>: init + validate (+ terraform test) in the copy; log in $WORK/logs.
check_root() {
  local root="$1" mode="$2" copy="$WORK/tree/$1" log="$WORK/logs/${1//\//_}.log"
  export TF_DATA_DIR="$WORK/data/${root//\//_}"
  {
    terraform -chdir="$copy" init -backend=false -input=false -no-color &&
      terraform -chdir="$copy" validate -no-color &&
      if [[ "$mode" == test ]]; then terraform -chdir="$copy" test -no-color; fi
  } >"$log" 2>&1 || { echo "FAILED: $root" >>"$log"; return 1; }
}
export -f check_root
export WORK

echo "== modules: init + validate + terraform test (${#MODULES[@]}), examples and stacks: init + validate (${#EXAMPLES[@]} + ${#STACKS[@]}); $JOBS at a time"
{
  for m in "${MODULES[@]}"; do printf '%s test\n' "$m"; done
  for r in "${EXAMPLES[@]}" "${STACKS[@]}"; do printf '%s validate\n' "$r"; done
} | xargs -P "$JOBS" -L1 bash -c 'check_root "$1" "$2"' _ || true

failed=0
for r in "${MODULES[@]}" "${EXAMPLES[@]}" "${STACKS[@]}"; do
  log="$WORK/logs/${r//\//_}.log"
  if [[ ! -f "$log" ]] || grep -q '^FAILED: ' "$log"; then
    echo "---- $r"; cat "$log" 2>/dev/null || echo "(no log: not run)"; failed=1
  fi
done
for m in "${MODULES[@]}"; do
  grep -E '^(Success|Failure)! .*passed' "$WORK/logs/${m//\//_}.log" | sed "s#^#  $m: #" || true
done
[[ $failed -eq 0 ]] || fail "terraform init/validate/test failed (see above)"

n_valid=$(( ${#MODULES[@]} + ${#EXAMPLES[@]} + ${#STACKS[@]} ))
n_tested=${#MODULES[@]}
[[ ${#MODULES[@]} -gt 0 && ${#STACKS[@]} -gt 0 ]] || fail "no modules or stacks found"
echo "== OK: $n_valid roots validated, $n_tested modules tested"
