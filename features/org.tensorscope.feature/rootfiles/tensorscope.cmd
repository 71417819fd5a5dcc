@echo off
rem Starts Tensorscope on Windows: the workbench, or with a command (version, info, run, trace, help)
rem the command line. Needs a JDK 21+ on the PATH or in JAVA_HOME.
setlocal
set "HERE=%~dp0"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
for %%f in ("%HERE%plugins\org.eclipse.equinox.launcher_*.jar") do set "LAUNCHER=%%f"
rem models run in a worker process unless TENSORSCOPE_WORKER=in-process
if not defined TENSORSCOPE_WORKER set "TENSORSCOPE_WORKER=process"
if not defined TENSORSCOPE_WORKSPACE set "TENSORSCOPE_WORKSPACE=%USERPROFILE%\.tensorscope\workspace"
set "CMD=%~1"
for %%c in (version info run trace help --help -h) do if /I "%CMD%"=="%%c" goto cli
"%JAVA%" -Dosgi.requiredJavaVersion=21 -Xmx4g -Dtensorscope.worker=%TENSORSCOPE_WORKER% -jar "%LAUNCHER%" -consoleLog -data "%TENSORSCOPE_WORKSPACE%" %*
exit /b %ERRORLEVEL%
:cli
set "TF_CPP_MIN_LOG_LEVEL=2"
"%JAVA%" -Dosgi.requiredJavaVersion=21 -Xmx4g -Dtensorscope.worker=%TENSORSCOPE_WORKER% -Djava.awt.headless=true -jar "%LAUNCHER%" -nosplash -application org.tensorscope.cli.app -data @none %*
exit /b %ERRORLEVEL%
