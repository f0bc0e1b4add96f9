/* false - do nothing, unsuccessfully (POSIX). */
int main(void)
{
	return 1;
}
