#!/usr/bin/env bash
# Deploys Handoff to Azure or Azure China (whichever cloud `az` is logged in to): the infrastructure, then a package under a name of
# its own, then a restart and a trigger sync, then waits for /healthz and for telemetry in the workspace. infra/README.md explains
# each step and the documentation behind it.
#
#   az cloud set --name AzureChinaCloud && az login        # or AzureCloud
#   infra/deploy.sh -g <resource group> [-p <file.bicepparam>] [--package <zip>] [--version <label>] [--allow-dirty]
#                   [--skip-health-check] [--skip-telemetry-check]
#
#   -g, --resource-group   the resource group (it must exist: az group create -n <rg> -l chinanorth3)
#   -p, --parameters       default infra/main.bicepparam; it must set packageUri from HANDOFF_PACKAGE_URI
#   --package              an already built functionapp.zip (default: dotnet publish functions/Handoff.Functions)
#   --version              the label in the blob name functionapp-<label>.zip (default: the commit, git rev-parse --short=12 HEAD)
#   --allow-dirty          build from a working tree with uncommitted changes (the label gets -dirty-<UTC time>)
#
#   HANDOFF_CHANNELS_FILE       optional: a JSON file (kept out of git) of the notice channels with their credentials,
#                               [{"organisationId", "platform", "url", "secret", "kinds", "emailTo", "mentions", ...}]; the
#                               credentials go into Key Vault, the rest into the channels parameter. Without it the channels of
#                               the last deployment are kept. See infra/README.md, "Notice channels".
#   HANDOFF_SMTP_PASSWORD_FILE  optional: a file holding the SMTP password, for the Key Vault secret smtp-password
#
# Why a new blob name per version: the app runs from a blob URL (WEBSITE_RUN_FROM_PACKAGE=<URL>, read through the identity). Linux
# instances fetch the package when they start, and nothing restarts them when the blob behind an unchanged URL is replaced: some would
# run the old build and some the new one, which a Durable Functions app must never do (an orchestration replayed by different code
# can fail or take another path). A new URL changes an app setting, so every instance restarts on the same package, and going back
# is a deployment with the previous URL. A blob that exists for a version is never overwritten.
#
# Needs: az (2.60 or later, with Bicep), jq, curl, dotnet (unless --package), and for the identity running it: Owner, or User
# Access Administrator plus Contributor, on the resource group (the template assigns roles); Storage Blob Data Contributor on the
# storage account (shared keys are off, so uploads go through --auth-mode login); Key Vault Secrets Officer on the vault (the
# identity-number key, the channels' credentials); Log Analytics Reader on the workspace (the telemetry check).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deployment="handoff"
group=""
parameters="$root/infra/main.bicepparam"
package=""
version=""
allow_dirty=false
health_check=true
telemetry_check=true
wait_seconds="${HANDOFF_WAIT_SECONDS:-900}"
poll_seconds="${HANDOFF_POLL_SECONDS:-15}"

channels_file="${HANDOFF_CHANNELS_FILE:-}"
smtp_password_file="${HANDOFF_SMTP_PASSWORD_FILE:-}"

usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
fail() { echo "deploy.sh: $*" >&2; exit 1; }
step() { echo "==> $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    -g|--resource-group) group="${2:?}"; shift 2 ;;
    -p|--parameters) parameters="${2:?}"; shift 2 ;;
    --package) package="${2:?}"; shift 2 ;;
    --version) version="${2:?}"; shift 2 ;;
    --allow-dirty) allow_dirty=true; shift ;;
    --skip-health-check) health_check=false; shift ;;
    --skip-telemetry-check) telemetry_check=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument: $1" ;;
  esac
done

[ -n "$group" ] || { usage >&2; fail "--resource-group is required"; }
[ -f "$parameters" ] || fail "no parameters file $parameters"
# Every deployment sets the app's package URI: a parameters file that does not take it from HANDOFF_PACKAGE_URI would leave the
# app pointing at no package at all (WEBSITE_RUN_FROM_PACKAGE=1 with nothing deployed).
grep -Eq "^[[:space:]]*param[[:space:]]+packageUri[[:space:]]*=.*readEnvironmentVariable\('HANDOFF_PACKAGE_URI'" "$parameters" \
  || fail "$parameters must set: param packageUri = readEnvironmentVariable('HANDOFF_PACKAGE_URI', '')"
command -v az >/dev/null || fail "the Azure CLI (az) is not on PATH"
command -v jq >/dev/null || fail "jq is not on PATH"

# Notice channels. The file holds credentials (a robot's URL is one, its signing secret another, the duty officers' mobile numbers are
# personal data): they go from the file to Key Vault through az's standard input, never on a command line, in an environment variable
# or in a parameter. What is left (organisation, platform, kinds, addresses, limits, whether there are mentions) is the channels
# parameter, which main.bicepparam reads from HANDOFF_CHANNELS. The same rules as main.bicep, checked before anything is deployed, and
# those main.bicep cannot see (the credentials). Secret names: channel-<org>-<platform>-url, channel-<org>-<platform>-secret,
# channel-<org>-mentions, with the organisation id as it is (hyphens included: only the app setting names write them as '_').
# shellcheck disable=SC2016 # jq programs: their $ are jq's
channel_rules='
def robots: ["WeCom", "DingTalk", "Feishu"];
def isin($list): . as $x | $list | index([$x]) != null;
def text: type == "string" and length > 0;
if type != "array" then "it must hold a JSON array of channels" else
(to_entries[] | "[\(.key)]" as $at | .value as $c |
 if ($c | type) != "object" then "\($at): not an object" else
  ((($c | keys) - ["organisationId", "platform", "url", "secret", "kinds", "emailTo", "mentions", "perMinute", "perSecond"]) as $unknown
    | if ($unknown | length) > 0 then "\($at): unknown properties \($unknown | join(", "))" else empty end),
  (if ($c.organisationId | type) == "string" and ($c.organisationId | length <= 47 and test("^[a-z0-9]+(-[a-z0-9]+)*$")) then empty
   else "\($at): organisationId must be 1-47 lowercase letters, digits and single inner hyphens (no hyphen first or last, no two together)" end),
  (if $c.platform | isin(robots + ["Email"]) then empty else "\($at): platform must be WeCom, DingTalk, Feishu or Email" end),
  (if ($c.platform | isin(robots)) and (($c.url | text | not) or ($c.url | test("^https://[^/?#\\s]+[^\\s]*$") | not)) then "\($at): url: the whole webhook address of the robot, https" else empty end),
  (if ($c.platform | isin(robots) | not) and $c.url != null then "\($at): url is for robots only" else empty end),
  (if ($c.platform | isin(["DingTalk", "Feishu"])) and ($c.secret | text | not) then "\($at): secret: \($c.platform) robots must sign (加签); its signing secret" else empty end),
  (if ($c.platform | isin(["DingTalk", "Feishu"]) | not) and $c.secret != null then "\($at): \($c.platform) has no signing secret" else empty end),
  (if $c.platform == "Email" and (($c.emailTo | text | not) or ($c.emailTo | test("@") | not)) then "\($at): emailTo: comma-separated addresses" else empty end),
  (if $c.platform != "Email" and $c.emailTo != null then "\($at): emailTo is for Email channels only" else empty end),
  (if $c.mentions != null and (($c.platform | isin(robots) | not) or ($c.mentions | text | not) or ($c.mentions | test("^\\s*1[0-9]{10}(\\s*,\\s*1[0-9]{10})*\\s*$") | not))
   then "\($at): mentions: comma-separated mainland mobile numbers (11 digits starting with 1), robots only" else empty end),
  (if $c.kinds != null and (($c.kinds | text | not) or ($c.kinds | test("^[A-Za-z0-9, *-]+$") | not)) then "\($at): kinds: comma-separated notice kinds, e.g. escalation,escalation-resolved" else empty end),
  (if $c.perMinute != null and (($c.perMinute | type) != "number" or $c.perMinute != ($c.perMinute | floor) or $c.perMinute < 1 or $c.perMinute > 1000) then "\($at): perMinute: a whole number from 1 to 1000" else empty end),
  (if $c.perSecond != null and (($c.perSecond | type) != "number" or $c.perSecond != ($c.perSecond | floor) or $c.perSecond < 0 or $c.perSecond > 100) then "\($at): perSecond: a whole number from 0 to 100" else empty end)
 end),
([.[] | objects] | group_by([.organisationId, .platform])[] | select(length > 1) | "\(.[0].organisationId) has \(length) \(.[0].platform) channels"),
([.[] | objects | select(.mentions | type == "string")] | group_by(.organisationId)[]
  | select((map(.mentions | gsub("\\s"; "")) | unique | length) > 1) | "\(.[0].organisationId): its channels give different mentions (one list per organisation)")
end'
# The channels parameter: everything but the credentials.
# shellcheck disable=SC2016
channel_parameter='map({organisationId, platform}
  + (if .kinds != null then {kinds} else {} end) + (if .emailTo != null then {emailTo} else {} end)
  + (if .mentions != null then {mentions: true} else {} end)
  + (if .perMinute != null then {perMinute} else {} end) + (if .perSecond != null then {perSecond} else {} end))'
# One line per secret: its name, the entry and the property it comes from (an organisation's mentions once).
# shellcheck disable=SC2016
channel_secrets='[to_entries[] | .key as $i | .value as $c | ($c.platform | ascii_downcase) as $p
  | (if $c.url != null then {name: "channel-\($c.organisationId)-\($p)-url", i: $i, field: "url"} else empty end),
    (if $c.secret != null then {name: "channel-\($c.organisationId)-\($p)-secret", i: $i, field: "secret"} else empty end),
    (if $c.mentions != null then {name: "channel-\($c.organisationId)-mentions", i: $i, field: "mentions"} else empty end)]
  | unique_by(.name)[] | "\(.name)\t\(.i)\t\(.field)"'

reads_channels=false
if grep -Eq "^[[:space:]]*param[[:space:]]+channels[[:space:]]*=.*readEnvironmentVariable\('HANDOFF_CHANNELS'" "$parameters"; then
  reads_channels=true
fi
new_channels=""
if [ -n "$channels_file" ]; then
  [ -f "$channels_file" ] || fail "HANDOFF_CHANNELS_FILE: no file $channels_file"
  $reads_channels || fail "$parameters must set: param channels = json(readEnvironmentVariable('HANDOFF_CHANNELS', '[]')) (HANDOFF_CHANNELS_FILE is given)"
  if git -C "$(dirname "$channels_file")" ls-files --error-unmatch -- "$(basename "$channels_file")" >/dev/null 2>&1; then
    fail "$channels_file is tracked by git, and it holds credentials: keep it out of the repository (and change the credentials it held)"
  fi
  problems="$(jq -r "$channel_rules" "$channels_file" 2>&1)" || fail "HANDOFF_CHANNELS_FILE $channels_file is not JSON"
  [ -z "$problems" ] || fail "HANDOFF_CHANNELS_FILE $channels_file:
$problems"
  new_channels="$(jq -c "$channel_parameter" "$channels_file")"
fi
if [ -n "$smtp_password_file" ]; then
  [ -s "$smtp_password_file" ] || fail "HANDOFF_SMTP_PASSWORD_FILE: no file, or an empty one: $smtp_password_file"
fi

subscription="$(az account show --query id -o tsv)" || fail "not logged in: az cloud set --name AzureChinaCloud && az login"
cloud="$(az cloud show --query name -o tsv)"
step "cloud $cloud, subscription $subscription, resource group $group"

# The version label, and the package.
if [ -z "$version" ]; then
  version="$(git -C "$root" rev-parse --short=12 HEAD)"
  if [ -n "$(git -C "$root" status --porcelain)" ]; then
    $allow_dirty || fail "the working tree has uncommitted changes; commit them, or pass --allow-dirty (or --version)"
    version="$version-dirty-$(date -u +%Y%m%dT%H%M%SZ)"
  fi
fi
[[ "$version" =~ ^[A-Za-z0-9._-]+$ ]] || fail "--version may only hold letters, digits, '.', '_' and '-'"
blob="functionapp-$version.zip"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$package" ]; then
  step "dotnet publish (Release, linux-x64) -> $blob"
  dotnet publish "$root/functions/Handoff.Functions" -c Release -r linux-x64 -o "$work/app" -p:FunctionAppZip=true -nologo >&2
  package="$work/functionapp.zip"
fi
[ -f "$package" ] || fail "no package $package"

deploy() { # $1: the package URI the app is to run, $2: the channels (JSON, no credentials)
  HANDOFF_PACKAGE_URI="$1" HANDOFF_CHANNELS="$2" az deployment group create -g "$group" -n "$deployment" -p "$parameters" \
    --query properties.outputs -o json --only-show-errors
}
output() { jq -er --arg name "$1" '.[$name].value' <<<"$outputs"; }

# 1. Infrastructure, keeping the package the app runs now and its channels (the last deployment's packageUri and channels outputs;
#    none on a first deployment), so this pass changes no app setting the running app depends on — and refers to no channel secret
#    that is not in Key Vault yet.
previous="$(az deployment group show -g "$group" -n "$deployment" --query properties.outputs -o json 2>/dev/null || true)"
jq -e 'type == "object"' <<<"$previous" >/dev/null 2>&1 || previous='{}'
current="$(jq -r '.packageUri.value // ""' <<<"$previous")"
current_channels="$(jq -c '.channels.value // []' <<<"$previous")"
step "infrastructure (app keeps ${current:-no package}, $(jq length <<<"$current_channels") notice channels)"
outputs="$(deploy "$current" "$current_channels")"
account="$(output storageAccountName)"
container="$(output packageContainerUri)"
app="$(output functionAppName)"
app_id="$(output functionAppId)"
host="$(output functionAppHost)"
workspace="$(output logAnalyticsWorkspaceId)"
vault="$(output keyVaultName)"
package_uri="${container%/}/$blob"

# The app reads its identity-number key through a Key Vault reference; until the secret exists the reference cannot resolve (the
# setting would hold the reference text itself). A first deployment stops here until it is set.
if [ "$(az keyvault secret list --vault-name "$vault" --query "length([?name=='id-number-key'])" -o tsv --only-show-errors)" != "1" ]; then
  fail "Key Vault $vault has no secret id-number-key yet. With Key Vault Secrets Officer on the vault:
  az keyvault secret set --vault-name $vault -n id-number-key --value \"\$(openssl rand -base64 32)\"
and run deploy.sh again."
fi

# The channels' credentials and the SMTP password, from the files into Key Vault: through standard input (az keyvault secret set
# --file /dev/stdin), so no value is ever on a command line. -o none: az would print the secret back.
put_secret() { # $1: secret name; the value on standard input
  step "Key Vault $vault: $1"
  az keyvault secret set --vault-name "$vault" -n "$1" --file /dev/stdin -o none --only-show-errors
}
if [ -n "$channels_file" ]; then
  while IFS=$'\t' read -r secret index field; do
    jq -j --argjson i "$index" --arg field "$field" '.[$i][$field] | if $field == "mentions" then gsub("\\s"; "") else . end' "$channels_file" \
      | put_secret "$secret"
  done < <(jq -r "$channel_secrets" "$channels_file")
fi
if [ -n "$smtp_password_file" ]; then
  printf '%s' "$(<"$smtp_password_file")" | put_secret smtp-password
fi

# Every other secret the app settings refer to must exist too (the channels kept from the last deployment, smtp-password once
# smtpUserName is set): a reference to a missing secret resolves to its own text, which the app would take for the URL or password.
# (With HANDOFF_CHANNELS_FILE, the channels are the file's, whose secrets were just set: the kept ones' are not asked for.)
have="$(az keyvault secret list --vault-name "$vault" --query '[].name' -o json --only-show-errors)"
missing="$(jq -r --argjson have "$have" --arg replaced "$([ -n "$channels_file" ] && echo true || echo false)" \
  '(.keyVaultSecrets.value // []) - $have | .[] | select($replaced == "false" or (startswith("channel-") | not))' <<<"$outputs")"
if [ -n "$missing" ]; then
  fail "Key Vault $vault lacks secrets the app settings refer to: $(echo "$missing" | paste -sd ' ' -)
Give the channels' credentials with HANDOFF_CHANNELS_FILE and the SMTP password with HANDOFF_SMTP_PASSWORD_FILE (infra/README.md,
'Notice channels'), or set one from a file: az keyvault secret set --vault-name $vault -n <name> --file <file>; then run deploy.sh again."
fi

# 2. The package, under its own name: uploaded once, never overwritten.
if [ "$(az storage blob exists --auth-mode login --account-name "$account" -c deployments -n "$blob" --query exists -o tsv)" = "true" ]; then
  step "$blob is already in $account/deployments: not uploading it again"
else
  step "upload $blob to $account/deployments"
  az storage blob upload --auth-mode login --account-name "$account" -c deployments -n "$blob" -f "$package" --only-show-errors -o none
fi

# 3. Point the app at it (WEBSITE_RUN_FROM_PACKAGE through the template, so the next infrastructure run keeps it), with the channels
#    of HANDOFF_CHANNELS_FILE when it is given (their secrets are in Key Vault now).
channels="${new_channels:-$current_channels}"
step "app settings: WEBSITE_RUN_FROM_PACKAGE=$package_uri, $(jq length <<<"$channels") notice channels"
outputs="$(deploy "$package_uri" "$channels")"
[ "$(output packageUri)" = "$package_uri" ] || fail "the deployment did not take packageUri=$package_uri"

# 4. Restart (every instance fetches the package again, even when the URL did not change on a re-run) and sync triggers: with a
#    package URL the platform does not learn the functions by itself ("Trigger syncing", Azure Functions deployment technologies).
step "restart $app"
az functionapp restart -g "$group" -n "$app" -o none --only-show-errors
step "sync triggers"
az resource invoke-action --action syncfunctiontriggers --ids "$app_id" -o none --only-show-errors

poll() { # $1: what, $2: command that succeeds when done
  local deadline=$((SECONDS + wait_seconds))
  until eval "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    echo "    waiting for $1 ..." >&2
    sleep "$poll_seconds"
  done
}

# 5. The app answers.
if $health_check; then
  step "GET https://$host/healthz"
  # shellcheck disable=SC2016 # poll evals it
  poll "/healthz" '[ "$(curl -sS -o /dev/null -w "%{http_code}" --max-time 30 "https://$host/healthz" 2>/dev/null)" = "200" ]' \
    || fail "https://$host/healthz did not answer 200 within ${wait_seconds}s (az webapp log tail -g $group -n $app)"
fi

# 6. Telemetry arrives. With local auth off on Application Insights, telemetry the host cannot authenticate is dropped without an
#    error anywhere the app would see; the alerts would then never fire. The /healthz requests above must show up in the workspace.
if $telemetry_check; then
  query="union isfuzzy=true AppRequests, AppTraces | where TimeGenerated > ago(30m) and AppRoleName =~ '$app' | count"
  step "telemetry from $app in workspace $workspace"
  telemetry() { [ "$(az monitor log-analytics query -w "$workspace" --analytics-query "$query" --query '[0].Count' -o tsv --only-show-errors 2>/dev/null || echo 0)" -gt 0 ] 2>/dev/null; }
  poll "telemetry" telemetry || fail "no telemetry from $app reached workspace $workspace within ${wait_seconds}s. If the app runs and
  Application Insights has local auth off (appInsightsEntraIngestion), Entra-authenticated ingestion is not working in this cloud:
  see infra/README.md, 'Telemetry through the identity'. (The query needs the log-analytics CLI extension and Log Analytics Reader.)"
fi

step "done: $app runs $blob"
echo "$package_uri"
