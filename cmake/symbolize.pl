#!/usr/bin/perl
# symbolize.pl ADDR2LINE KERNEL.elf APPS-DIR [ROOT] - pass a Calf console
# through unchanged, byte for byte and at once (an interactive shell's
# prompt has no newline), and after each report line add where its
# addresses are, as Linux's decode_stacktrace.sh and Zephyr's west do:
#   calf: task 3 (demo) killed by SIGSEGV: bad access, pc 000100c4, lr 00010091
#   calf:   pc 000100c4: main at apps/demo.c:33
# A killed task's pc and lr are looked up in APPS-DIR/NAME.elf (its
# program); the kernel's, after "KERNEL FAULT" or "KERNEL PANIC" (pc, eip,
# svc lr, "called from"), in KERNEL.elf. ROOT is cut from file names.
use strict;
use warnings;

my ($addr2line, $kernel, $apps, $root) = @ARGV;
die "usage: symbolize.pl ADDR2LINE KERNEL.elf APPS-DIR [ROOT]\n" unless defined $apps;
$root = '' unless defined $root;
$| = 1;
my $line = '';
my $in_kernel_report = 0;

# "func at file:line" for addr in elf, or undef when addr2line knows nothing.
sub where {
	my ($elf, $addr, $is_return) = @_;
	$addr = hex($addr) & ~1;           # a Thumb address's bit 0 is the mode, not the byte
	$addr -= 1 if $is_return && $addr; # a return address follows its call: look up the call
	$addr = sprintf('0x%x', $addr);
	return undef unless -r $elf;
	open(my $p, '-|', $addr2line, '-f', '-i', '-C', '-p', '-e', $elf, $addr) or return undef;
	my @out = <$p>;
	close($p);
	return undef unless @out && $out[0] !~ /^\?\?/;
	chomp(@out);
	s/\Q$root\E\/?// for @out;
	return join(' ', @out);
}

# The lines to add after a complete console line.
sub notes {
	my ($l) = @_;
	my @add;
	if ($l =~ /^calf: task \d+ \(([^)]*)\) killed by \S+: .*, pc ([0-9a-f]{8})(?:, lr ([0-9a-f]{8}))?/) {
		my ($prog, @addrs) = ($1, $2, $3);
		$prog =~ s{.*/}{};
		my @names = ('pc', 'lr');
		for my $i (0 .. 1) {
			next unless defined $addrs[$i];
			my $w = where("$apps/$prog.elf", $addrs[$i], $i == 1);
			push @add, "calf:   $names[$i] $addrs[$i]: $w\n" if defined $w;
		}
		return @add;
	}
	$in_kernel_report = 1 if $l =~ /^(KERNEL FAULT|KERNEL PANIC)/;
	return () unless $in_kernel_report;
	while ($l =~ /\b(pc|eip|svc lr|called from) +([0-9a-f]{8})\b/g) {
		my ($what, $addr) = ($1, $2);
		my $w = where($kernel, $addr, $what eq 'svc lr' || $what eq 'called from');
		push @add, "calf:   $what $addr: $w\n" if defined $w;
	}
	return @add;
}

# Each read goes out at once; a line's notes go right after its newline.
while (1) {
	my $n = sysread(STDIN, my $buf, 4096);
	last unless $n;
	while ($buf =~ s/^([^\n]*\n)//) {
		my $piece = $1;
		syswrite(STDOUT, $piece);
		my $l = $line . $piece;
		$line = '';
		$l =~ s/\n$//;
		my $eol = $l =~ s/\r$// ? "\r\n" : "\n"; # the console's own line ends
		for my $note (notes($l)) {
			$note =~ s/\n$/$eol/;
			syswrite(STDOUT, $note);
		}
	}
	syswrite(STDOUT, $buf) if length($buf);
	$line .= $buf;
	$line = substr($line, -4096) if length($line) > 8192; # a line with no end: keep its tail
}
