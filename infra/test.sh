#!/usr/bin/env bash
# Offline tests for Sluice's Terraform: fmt, `terraform test` of every module, a plan of every module example and
# every stack checked by the policy rules in policy/check-plan.jq, and the policy mutation fixtures that each rule
# must reject. Runs from any working directory; needs no network and no AWS credentials.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROVIDER_VERSION_RE='5\.[0-9]+\.[0-9]+'

fail() { echo "infra/test.sh: FAIL: $*" >&2; exit 1; }

if ! command -v terraform >/dev/null 2>&1; then
  cat >&2 <<'HINT'
infra/test.sh: FAIL: terraform is not installed (or not on PATH).
Install Terraform >= 1.11 (the stacks require it; tested with 1.11.4), for example:
  https://developer.hashicorp.com/terraform/install   (zip: unzip into /usr/local/bin)
  or on Debian/Ubuntu: apt-get install terraform  (after adding the HashiCorp apt repository)
HINT
  exit 127
fi
TF_VERSION="$(terraform version | sed -nE '1s/^Terraform v([0-9]+)\.([0-9]+).*/\1 \2/p')"
read -r TF_MAJOR TF_MINOR <<<"${TF_VERSION:-0 0}"
if (( TF_MAJOR < 1 || (TF_MAJOR == 1 && TF_MINOR < 11) )); then
  fail "Terraform $(terraform version | head -n1) is too old: the stacks need >= 1.11 (ephemeral resources, write-only attributes)"
fi
for tool in jq java; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed: the plan checker needs jq, and the offline AWS read stub for stack plans needs a JDK (run ./sluice setup, or apt-get install jq openjdk-17-jdk-headless)"
done

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
ENDPOINT_PID=""
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

# --- 2. static checks of the tree (cheap) ---------------------------------------------------------
# Security properties are checked on plans (section 4), not on source text; these only keep the tree consistent.
echo "== static checks"
scan_fail=0
# 2a. Every module and stack declares the aws provider constraint that accepts 5.100.0.
for v in modules/*/versions.tf stacks/*/versions.tf stacks/*/*/versions.tf; do
  [[ -f "$v" ]] || continue
  grep -q '">= 5.60, < 6.0"' "$v" || { echo "  $v: aws constraint must be \">= 5.60, < 6.0\""; scan_fail=1; }
done
# 2b. Every module README documents every input and output by name; examples and tests exist.
for m in modules/*/; do
  m="${m%/}"
  [[ -f "$m/README.md" ]] || { echo "  $m: README.md missing"; scan_fail=1; continue; }
  for f in main.tf variables.tf outputs.tf versions.tf; do
    [[ -f "$m/$f" ]] || { echo "  $m: $f missing"; scan_fail=1; }
  done
  [[ -d "$m/examples/basic" ]] || { echo "  $m: examples/basic missing"; scan_fail=1; }
  # A module with more than a handful of inputs (15 or more) also shows them all in examples/complete.
  if [[ $(grep -c '^variable "' "$m/variables.tf") -ge 15 && ! -d "$m/examples/complete" ]]; then
    echo "  $m: $(grep -c '^variable "' "$m/variables.tf") inputs but no examples/complete"; scan_fail=1
  fi
  compgen -G "$m/tests/*.tftest.hcl" >/dev/null || { echo "  $m: no tests/*.tftest.hcl"; scan_fail=1; }
  for name in $(grep -hoE '^(variable|output) "[^"]+"' "$m"/variables.tf "$m"/outputs.tf | sed -E 's/.*"([^"]+)"/\1/'); do
    grep -q "\`$name\`" "$m/README.md" || { echo "  $m/README.md does not document \`$name\`"; scan_fail=1; }
  done
done
[[ $scan_fail -eq 0 ]] || fail "static checks failed (see above)"

# --- 3. terraform test every module; plan every example, stack and the policy fixtures ----------------
# Roots are copied to $WORK so that no .terraform directory, plan or lock file is written into the repo.
# - modules:  terraform test (mock provider, the module's own assertions).
# - examples and policy/fixtures: a plan with the mock provider (policy/mocks, override_during = plan, so ARNs
#   and IDs are known), exported from `terraform test -json -verbose`.
# - stacks:   `terraform plan` with the real provider, fake credentials and the few plan-time reads answered
#   by policy/PlanEndpoint.java (stacks use ephemeral resources, which mock providers do not support), exported
#   from a `terraform test` plan run like the examples. Inputs: terraform.tfvars.example plus policy/stack-inputs/<stack>.tfvars.
mapfile -t MODULES < <(find modules -mindepth 1 -maxdepth 1 -type d | sort)
mapfile -t EXAMPLES < <(find modules -path '*/examples/*' -not -path '*/.terraform/*' -name '*.tf' -printf '%h\n' | sort -u)
mapfile -t STACKS < <(find stacks -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' 2>/dev/null | sort -u)
FIXTURES=policy/fixtures

JOBS="${SLUICE_TF_JOBS:-2}"
mkdir -p "$WORK/tree" "$WORK/logs" "$WORK/plans"
tar -C "$INFRA_DIR" --exclude='.terraform' --exclude='.terraform.lock.hcl' -cf - modules stacks policy | tar -C "$WORK/tree" -xf -

# The read stub for stack plans starts now (JVM start-up overlaps the module tests); it stops with the script.
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m "$WORK/tree/policy/PlanEndpoint.java" "$WORK/endpoint.port" \
  >"$WORK/logs/endpoint.log" 2>&1 &
ENDPOINT_PID=$!
cleanup() { kill "$ENDPOINT_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# plan_provider <dir> [module]: an override file that points the real aws provider at PlanEndpoint, with fake
# credentials; with "module", a plain provider file for a module under terraform test (it has no provider block to
# override). For roots that mock providers cannot plan: stacks and modules with ephemeral resources.
plan_provider() {
  local i port="" file="$1/zz_plan_override.tf"
  [[ "${2:-}" != module ]] || file="$1/zz_plan_provider.tf"
  for i in $(seq 1 600); do [[ -s "$WORK/endpoint.port" ]] && break; sleep 0.5; done
  port="$(cat "$WORK/endpoint.port" 2>/dev/null)" || true
  [[ -n "$port" ]] || { echo "PlanEndpoint did not start:"; cat "$WORK/logs/endpoint.log"; return 1; }
  printf '%s\n' 'provider "aws" {' '  region                      = "eu-west-1"' \
    '  access_key                  = "AKIAPLANONLY00000000"' '  secret_key                  = "plan-only"' \
    '  skip_credentials_validation = true' '  skip_requesting_account_id  = true' \
    '  skip_metadata_api_check     = true' '  skip_region_validation      = true' '  endpoints {' \
    "    sts            = \"http://127.0.0.1:$port\"" "    ssm            = \"http://127.0.0.1:$port\"" \
    "    secretsmanager = \"http://127.0.0.1:$port\"" "    kafka          = \"http://127.0.0.1:$port\"" \
    '  }' '}' >"$file"
}
export -f plan_provider

# check_root <root> <module|plan-mock|plan-stack>: log in $WORK/logs, plan JSON(s) in $WORK/plans.
check_root() {
  local root="$1" mode="$2" copy="$WORK/tree/$1" name="${1//\//_}" inputs=""
  local log="$WORK/logs/$name.log" plan="$WORK/plans/$name.json" start=$SECONDS
  export TF_DATA_DIR="$WORK/data/$name"
  {
    case "$mode" in
      module)
        # One terraform test process per module: its own tests, plus a plan of each of its examples (run blocks
        # with module { source = "./examples/<x>" }) for the policy rules. A module with ephemeral resources is
        # tested and planned against the real provider and PlanEndpoint instead of the mock provider.
        local provider ex
        if grep -qE '^ephemeral ' "$copy"/*.tf; then
          plan_provider "$copy" module && provider="$(cat "$copy/zz_plan_provider.tf")"
        else
          provider="$(printf 'mock_provider "aws" {\n  source          = "%s"\n  override_during = plan\n}\n' "$WORK/tree/policy/mocks")"
        fi &&
          { echo "$provider"; for ex in "$copy"/examples/*/; do ex="$(basename "$ex")"
            printf '\nrun "policy_plan__%s" {\n  command = plan\n  module {\n    source = "./examples/%s"\n  }\n}\n' "$ex" "$ex"; done
          } >"$copy/tests/zz_policy_plan.tftest.hcl" &&
          terraform -chdir="$copy" init -backend=false -input=false -no-color &&
          { terraform -chdir="$copy" test -no-color -json -verbose >"$WORK/$name.test.json" || true; } &&
          # The output is large (every run's state with the provider schema): grep the few lines needed first.
          grep -F -e '"type":"test_run"' -e '"type":"test_summary"' -e '"type":"diagnostic"' "$WORK/$name.test.json" >"$WORK/$name.events.json" &&
          jq -r 'select(.type == "test_run" and .test_run.progress == "complete") | "  run \(.test_run.path) \(.test_run.run): \(.test_run.status)"' "$WORK/$name.events.json" &&
          jq -r 'select(.type == "test_summary") | .["@message"]' "$WORK/$name.events.json" &&
          grep -qF '"test_summary":{"status":"pass"' "$WORK/$name.events.json" &&
          for ex in "$copy"/examples/*/; do ex="$(basename "$ex")"
            grep -F "\"@testrun\":\"policy_plan__$ex\"" "$WORK/$name.test.json" | grep -F '"type":"test_plan"' |
              jq -c '.test_plan | del(.provider_schemas)' >"$WORK/plans/${name}_examples_$ex.json"
            [[ -s "$WORK/plans/${name}_examples_$ex.json" ]] || echo "no plan exported for examples/$ex"
          done &&
          ! grep -q '^no plan exported' "$log" &&
          rm -f "$WORK/$name.test.json" "$WORK/$name.events.json" ;;
      plan-mock)
        mkdir -p "$copy/tests" &&
          printf 'mock_provider "aws" {\n  source          = "%s"\n  override_during = plan\n}\n\nrun "policy_plan" {\n  command = plan\n}\n' \
            "$WORK/tree/policy/mocks" >"$copy/tests/zz_policy_plan.tftest.hcl" &&
          terraform -chdir="$copy" init -backend=false -input=false -no-color &&
          terraform -chdir="$copy" test -no-color -json -verbose -filter=tests/zz_policy_plan.tftest.hcl >"$WORK/$name.test.json" &&
          jq -c 'select(.type == "test_plan") | .test_plan | del(.provider_schemas)' "$WORK/$name.test.json" >"$plan" &&
          rm -f "$WORK/$name.test.json" && [[ -s "$plan" ]] ;;
      plan-stack)
        # Like a module's example plans, through terraform test (one process), with the real provider.
        plan_provider "$copy" &&
          { [[ ! -f "$copy/terraform.tfvars.example" ]] || cp "$copy/terraform.tfvars.example" "$copy/terraform.tfvars"; } &&
          inputs="$WORK/tree/policy/stack-inputs/$(echo "${root#stacks/}" | tr / _).tfvars" &&
          { [[ ! -f "$inputs" ]] || cp "$inputs" "$copy/plan_inputs.auto.tfvars"; } &&
          mkdir -p "$copy/tests" && printf 'run "policy_plan" {\n  command = plan\n}\n' >"$copy/tests/zz_policy_plan.tftest.hcl" &&
          terraform -chdir="$copy" init -backend=false -input=false -no-color &&
          terraform -chdir="$copy" test -no-color -json -verbose -filter=tests/zz_policy_plan.tftest.hcl >"$WORK/$name.test.json" &&
          grep -F '"type":"test_plan"' "$WORK/$name.test.json" | jq -c '.test_plan | del(.provider_schemas)' >"$plan" &&
          rm -f "$WORK/$name.test.json" && [[ -s "$plan" ]] ;;
    esac
  } >"$log" 2>&1 || {
    [[ ! -f "$WORK/$name.test.json" ]] ||
      grep -F '"type":"diagnostic"' "$WORK/$name.test.json" |
      jq -r '.diagnostic | "Error: \(.summary): \(.detail // "") \(.address // "")"' >>"$log" 2>/dev/null
    echo "FAILED: $root" >>"$log"; return 1
  }
  echo "$((SECONDS - start)) $root" >>"$WORK/times"
}
export -f check_root
# The interesting part of a failed root's log: from the first error on (or its end).
show_failure() {
  grep -E '^  run .*: (fail|error)$' "$1" || true
  if grep -q '^Error: ' "$1"; then
    grep -n '^Error: ' "$1" | head -n1 | cut -d: -f1 | { read -r n; tail -n "+$n" "$1" | head -n 80; }
  else tail -n 40 "$1"; fi
}
export WORK

echo "== terraform test of ${#MODULES[@]} modules with plans of their ${#EXAMPLES[@]} examples; plans of ${#STACKS[@]} stacks and the policy fixtures; $JOBS at a time"
{
  # Roots that need PlanEndpoint go last, while its JVM starts.
  for m in "${MODULES[@]}"; do grep -qE '^ephemeral ' "$m"/*.tf || printf '%s module\n' "$m"; done
  printf '%s plan-mock\n' "$FIXTURES"
  for m in "${MODULES[@]}"; do ! grep -qE '^ephemeral ' "$m"/*.tf || printf '%s module\n' "$m"; done
  for r in "${STACKS[@]}"; do printf '%s plan-stack\n' "$r"; done
} | xargs -P "$JOBS" -L1 bash -c 'check_root "$1" "$2"' _ || true

failed=0
for r in "${MODULES[@]}" "${STACKS[@]}" "$FIXTURES"; do
  log="$WORK/logs/${r//\//_}.log"
  if [[ ! -f "$log" ]] || grep -q '^FAILED: ' "$log"; then
    echo "---- $r"; { [[ -f "$log" ]] && show_failure "$log"; } || echo "(no log: not run)"; failed=1
  fi
done
for m in "${MODULES[@]}"; do
  grep -E '^(Success|Failure)! .*passed' "$WORK/logs/${m//\//_}.log" | sed "s#^#  $m: #" || true
done
[[ -z "${SLUICE_TF_TIMES:-}" ]] || { echo "== seconds per root"; sort -rn "$WORK/times"; }
[[ $failed -eq 0 ]] || fail "terraform test/plan failed (see above)"

# --- 4. policy checker on every plan ---------------------------------------------------------------
# The account the plans run in (mocks and PlanEndpoint both answer 111111111111); any other account is foreign.
SELF_ACCOUNT=111111111111
CHECK="$INFRA_DIR/policy/check-plan.jq"
echo "== policy rules (policy/check-plan.jq) on ${#EXAMPLES[@]} example and ${#STACKS[@]} stack plans"
policy_fail=0
# Example plans use the mock provider, so every policy is known and must be checkable; in stack plans a policy
# that names resources created in the same plan is unknown, and is only noted (its module's examples check it).
for r in "${EXAMPLES[@]}" "${STACKS[@]}"; do
  plan="$WORK/plans/${r//\//_}.json" unknown=fail
  [[ "$r" != stacks/* ]] || unknown=note
  [[ -s "$plan" ]] || { echo "  $r: no plan"; policy_fail=1; continue; }
  n=$(jq '[.resource_changes[]? | select(.mode == "managed")] | length' "$plan")
  out="$(jq -r --arg self "$SELF_ACCOUNT" --arg unknown_policy "$unknown" -f "$CHECK" "$plan")" ||
    { echo "  $r: checker error"; policy_fail=1; continue; }
  notes="$(grep -c '^NOTE ' <<<"$out" || true)"
  out="$(grep -v '^NOTE ' <<<"$out" || true)"
  if [[ -n "$out" ]]; then
    echo "  $r: FAIL"; sed 's/^/    /' <<<"$out"; policy_fail=1
  else
    echo "  $r: ok ($n resources$([[ $notes -eq 0 ]] || echo ", $notes identity policies unknown at plan time"))"
  fi
done
[[ $policy_fail -eq 0 ]] || fail "policy rules failed on the plans above"

# --- 5. mutation fixtures: every rule must reject its breaking fixture -----------------------------
# policy/fixtures/<rule>__<variant>/ breaks <RULE>; the checker, run on that module's part of the plan alone,
# must report <RULE> for it. A fixture the checker lets pass means the rule does not work.
echo "== policy mutation fixtures (policy/fixtures)"
fplan="$WORK/plans/${FIXTURES//\//_}.json"
mapfile -t FIXTURE_MODULES < <(find "$INFRA_DIR/$FIXTURES" -mindepth 1 -maxdepth 1 -type d -name '*__*' -printf '%f\n' | sort)
[[ ${#FIXTURE_MODULES[@]} -gt 0 ]] || fail "no policy fixtures found"
rules_in_checker="$(grep -oE 'v\("[A-Z0-9_]+"' "$CHECK" | cut -d'"' -f2 | sort -u)"
covered=""
for f in "${FIXTURE_MODULES[@]}"; do
  rule="$(echo "${f%%__*}" | tr '[:lower:]' '[:upper:]')"
  out="$(jq --arg m "module.$f" '.resource_changes |= map(select((.module_address // "") == $m or ((.module_address // "") | startswith($m + "."))))' "$fplan" |
    jq -r --arg self "$SELF_ACCOUNT" -f "$CHECK")" || { echo "  $f: checker error"; policy_fail=1; continue; }
  if grep -q "^$rule " <<<"$out"; then
    echo "  $f: rejected by $rule"; covered+="$rule"$'\n'
  else
    echo "  $f: NOT rejected by $rule (checker output: ${out:-none})"; policy_fail=1
  fi
done
for rule in $rules_in_checker; do
  grep -qx "$rule" <<<"$covered" || { echo "  rule $rule has no breaking fixture in $FIXTURES"; policy_fail=1; }
done
[[ $policy_fail -eq 0 ]] || fail "policy mutation fixtures failed (see above)"

[[ ${#MODULES[@]} -gt 0 && ${#STACKS[@]} -gt 0 ]] || fail "no modules or stacks found"
echo "== OK: ${#MODULES[@]} modules tested, $(( ${#EXAMPLES[@]} + ${#STACKS[@]} )) plans pass the policy rules, ${#FIXTURE_MODULES[@]} fixtures rejected"
