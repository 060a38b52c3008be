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
# Why a new blob name per version: the app runs from a blob URL (WEBSITE_RUN_FROM_PACKAGE=<URL>, read through the identity). Linux
# instances fetch the package when they start, and nothing restarts them when the blob behind an unchanged URL is replaced: some would
# run the old build and some the new one, which a Durable Functions app must never do (an orchestration replayed by different code
# can fail or take another path). A new URL changes an app setting, so every instance restarts on the same package, and going back
# is a deployment with the previous URL. A blob that exists for a version is never overwritten.
#
# Needs: az (2.60 or later, with Bicep), jq, curl, dotnet (unless --package), and for the identity running it: Owner, or User
# Access Administrator plus Contributor, on the resource group (the template assigns roles); Storage Blob Data Contributor on the
# storage account (shared keys are off, so uploads go through --auth-mode login); Key Vault Secrets Officer on the vault (the
# identity-number key); Log Analytics Reader on the workspace (the telemetry check).
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

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
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

deploy() { # $1: the package URI the app is to run
  HANDOFF_PACKAGE_URI="$1" az deployment group create -g "$group" -n "$deployment" -p "$parameters" \
    --query properties.outputs -o json --only-show-errors
}
output() { jq -er --arg name "$1" '.[$name].value' <<<"$outputs"; }

# 1. Infrastructure, keeping the package the app runs now (the last deployment's packageUri output; none on a first deployment), so
#    this pass changes no app setting the running app depends on.
current="$(az deployment group show -g "$group" -n "$deployment" --query properties.outputs.packageUri.value -o tsv 2>/dev/null || true)"
step "infrastructure (app keeps ${current:-no package})"
outputs="$(deploy "$current")"
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

# 2. The package, under its own name: uploaded once, never overwritten.
if [ "$(az storage blob exists --auth-mode login --account-name "$account" -c deployments -n "$blob" --query exists -o tsv)" = "true" ]; then
  step "$blob is already in $account/deployments: not uploading it again"
else
  step "upload $blob to $account/deployments"
  az storage blob upload --auth-mode login --account-name "$account" -c deployments -n "$blob" -f "$package" --only-show-errors -o none
fi

# 3. Point the app at it (WEBSITE_RUN_FROM_PACKAGE through the template, so the next infrastructure run keeps it).
step "app settings: WEBSITE_RUN_FROM_PACKAGE=$package_uri"
outputs="$(deploy "$package_uri")"
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
