@echo off
rem Starts Tensorscope on Windows: the workbench, or, when the first argument is one of the words
rem in cli-commands (version, info, run, trace, help...), the command line, returning its exit code.
rem Needs Java 21 or newer (a runtime is enough) in JAVA_HOME or on the PATH.
setlocal
set "HERE=%~dp0"
set "JAVA="
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
if not defined JAVA for %%j in (java.exe) do set "JAVA=%%~$PATH:j"
if not defined JAVA (
  echo tensorscope: Tensorscope needs Java 21 or newer; none was found. Install one and set JAVA_HOME. 1>&2
  exit /b 2
)
rem "openjdk version "21.0.2" 2024-01-16": the third word, up to its first dot
set "JAVA_MAJOR=0"
for /f "tokens=3" %%v in ('""%JAVA%" -version 2>&1 | findstr /i /c:"version""') do set "JAVA_VERSION=%%~v"
for /f "delims=.-+" %%m in ("%JAVA_VERSION%") do set "JAVA_MAJOR=%%m"
if %JAVA_MAJOR% LSS 21 (
  echo tensorscope: %JAVA% is Java %JAVA_VERSION%; Tensorscope needs Java 21 or newer. Set JAVA_HOME to one. 1>&2
  exit /b 2
)
rem after an update p2 keeps the previous launcher too: the newest sorts last by version
set "LAUNCHER="
for /f "delims=" %%f in ('dir /b /on "%HERE%plugins\org.eclipse.equinox.launcher_*.jar" 2^>nul') do set "LAUNCHER=%HERE%plugins\%%f"
for /f "delims=" %%f in ('powershell -NoProfile -Command "Get-ChildItem '%HERE%plugins\org.eclipse.equinox.launcher_*.jar' | Sort-Object { [version](($_.Name -replace '^org\.eclipse\.equinox\.launcher_','') -replace '^(\d+\.\d+\.\d+).*','$1') } | Select-Object -Last 1 -ExpandProperty FullName" 2^>nul') do set "LAUNCHER=%%f"
if not defined LAUNCHER (
  echo tensorscope: %HERE% is not a complete Tensorscope installation ^(no Equinox launcher in plugins^). 1>&2
  exit /b 2
)
rem models run in a worker process unless TENSORSCOPE_WORKER=in-process
if not defined TENSORSCOPE_WORKER set "TENSORSCOPE_WORKER=process"
if not defined TENSORSCOPE_MAX_HEAP set "TENSORSCOPE_MAX_HEAP=4g"
if not defined TENSORSCOPE_WORKSPACE set "TENSORSCOPE_WORKSPACE=%USERPROFILE%\.tensorscope\workspace"
set "VMARGS=-Dosgi.requiredJavaVersion=21 -Xmx%TENSORSCOPE_MAX_HEAP% -Dtensorscope.worker=%TENSORSCOPE_WORKER% %TENSORSCOPE_VMARGS%"
set "CMD=%~1"
if defined CMD for /f "usebackq eol=# delims=" %%c in ("%HERE%cli-commands") do if /I "%CMD%"=="%%c" goto cli
rem 23 is the workbench asking to be restarted (e.g. after installing software); without a native
rem launcher, this script does the restarting.
:workbench
"%JAVA%" %VMARGS% -jar "%LAUNCHER%" -consoleLog -data "%TENSORSCOPE_WORKSPACE%" %*
set "CODE=%ERRORLEVEL%"
if "%CODE%"=="23" goto workbench
exit /b %CODE%
:cli
if not defined TF_CPP_MIN_LOG_LEVEL set "TF_CPP_MIN_LOG_LEVEL=2"
"%JAVA%" %VMARGS% -Djava.awt.headless=true -jar "%LAUNCHER%" -nosplash -application org.tensorscope.cli.app -data @none %*
exit /b %ERRORLEVEL%
